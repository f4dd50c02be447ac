"""A console e-mail backend for the demo and development that prints no personal data: the
recipients masked (w***@example.com), phones, ID numbers and e-mail addresses in the subject and
body masked, and the tokens of tracking and rating links cut (…/track/AbCd…/), so the terminal
or log it writes to never holds a petitioner's address or a working link to their case."""

from __future__ import annotations

from email.utils import getaddresses

from django.core.mail.backends.console import EmailBackend as ConsoleBackend

from rdec.core import pii
from rdec.core.logmask import cut_tokens


def _recipients(addresses) -> str:
    return ", ".join(pii.mask_email(email) or "***" for _name, email in getaddresses(list(addresses)))


class MaskedConsoleEmailBackend(ConsoleBackend):
    def write_message(self, message):
        names = [name for name, _email in getaddresses(list(message.to) + list(message.cc)) if name]
        lines = [
            f"From: {message.from_email}",
            f"To: {_recipients(message.to)}",
        ]
        if message.cc:
            lines.append(f"Cc: {_recipients(message.cc)}")
        if message.bcc:
            lines.append(f"Bcc: {_recipients(message.bcc)}")
        lines.append(f"Subject: {pii.mask_text(cut_tokens(str(message.subject)), names=names)}")
        lines.append("")
        lines.append(pii.mask_text(cut_tokens(str(message.body)), names=names))
        self.stream.write("\n".join(lines) + "\n" + "-" * 79 + "\n")
