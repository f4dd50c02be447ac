"""Personal data kept out of the logs: a logging filter that runs the personal-data detector
(core.pii) over every record's message and arguments — a safety net under the rule that no module
logs personal fields — and the helpers the access log and the console e-mail backend use to cut
query strings and link tokens."""

from __future__ import annotations

import logging
import re

from rdec.core import pii

# A path segment that looks like a token (signed or random, 16+ characters) and query strings.
_TOKEN_SEGMENT = re.compile(r"(?<=/)([A-Za-z0-9_\-:.]{4})[A-Za-z0-9_\-:.]{12,}(?=/|$|\s|\?|#)")
_QUERY = re.compile(r"\?[^\s\"']*")


def cut_tokens(text: str) -> str:
    """URLs in `text` without their query strings, and long token-like path segments cut to their
    first four characters (…/track/AbCd…/): a log reader can tell the link, never follow it."""
    return _TOKEN_SEGMENT.sub(r"\1…", _QUERY.sub("?…", text or ""))


def mask(text: str) -> str:
    return pii.mask_text(text)


# Loggers whose messages are request lines: their query strings and link tokens are cut too.
REQUEST_LOGGERS = {"django.server", "gunicorn.access"}


class PersonalDataFilter(logging.Filter):
    """Masks phones, ID numbers, e-mail addresses and introduced names in every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 — a broken record is logged as it is, never dropped
            return True
        masked = pii.mask_text(message)
        if record.name in REQUEST_LOGGERS:
            masked = cut_tokens(masked)
        if masked != message:
            record.msg, record.args = masked, None
        return True
