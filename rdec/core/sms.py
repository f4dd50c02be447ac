"""The SMS sender interface (one place for every module: petitions' notices, the phone one-time codes
of citizen accounts).

`sms_sender()` returns the sender named by the setting `RDEC_SMS_SENDER` (a dotted path to a class
with `send(phone, text)`). With the setting unset:

- `LoggingSmsSender` (the default) logs that an SMS would be sent, with the number masked and no
  text: no personal data and no one-time code ever reaches a log;
- `rdec demo` (the demo server) sets `ConsoleSmsSender` when the setting is unset: it "delivers" the message to the
  server's terminal the way the demo's e-mail backend (`rdec.core.mail.MaskedConsoleEmailBackend`)
  does: the number masked, personal data in the text masked, the text itself (a one-time code)
  kept, so that a person trying the demo, and the browser tests reading the demo server's output,
  can read the code they were sent. It writes to the console, not through logging.

A real gateway (a telecom's SMS API) is a class with the same `send` method named in the setting.
"""

from __future__ import annotations

import logging
import sys
import threading

from django.conf import settings
from django.utils.module_loading import import_string

from rdec.core import pii

log = logging.getLogger("rdec.petitions.sms")  # the logger name the petitions module always used

_console_lock = threading.Lock()


def mask_phone(phone: str) -> str:
    """0912345678 → 0912-***-678 (a short number keeps its last two digits)."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if not digits:
        return ""
    if len(digits) >= 9:
        return f"{digits[:4]}-***-{digits[-3:]}"
    return "*" * (len(digits) - 2) + digits[-2:]


class LoggingSmsSender:
    """Logs that an SMS would be sent — with the number masked and no text (no personal data in logs)."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s (%d characters)", mask_phone(phone), len(text))


class ConsoleSmsSender:
    """The demo's SMS "delivery": one block on standard output, like the demo's console e-mail."""

    def __init__(self, stream=None):
        self.stream = stream

    def send(self, phone: str, text: str) -> None:
        stream = self.stream or sys.stdout
        with _console_lock:
            stream.write(f"SMS to {mask_phone(phone)}: {pii.mask_text(text)}\n" + "-" * 79 + "\n")
            stream.flush()


def sms_sender():
    return import_string(getattr(settings, "RDEC_SMS_SENDER", "") or "rdec.core.sms.LoggingSmsSender")()
