"""Password rules beyond Django's (length 12, common, numeric, similar to the user's attributes).

Refused: a password that is one short piece repeated (`aaaaaaaaaaaa`, `abcabcabcabc`,
`citizen-citizen`), mostly keyboard rows or the alphabet in order (`qwertyuiopasdf`, `1qaz2wsx…`
is caught by Django's common list), one containing the username, and the published demo password
(`rdec.core.demo.DEMO_PASSWORD`) unless this installation is the demo (settings.RDEC_DEMO, or
while the demo accounts are made).
"""

from __future__ import annotations

import contextlib
import contextvars
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SEQUENCES = (
    "`1234567890-=",
    "qwertyuiop[]\\",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
)
RUN = 4  # this many keys in a row, either way, count as a sequence
MAX_SEQUENCE_SHARE = 0.75

_demo_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar("rdec_demo_passwords", default=False)


@contextlib.contextmanager
def demo_passwords_allowed():
    """While the demo's own accounts are made, the demo password is fine."""
    token = _demo_allowed.set(True)
    try:
        yield
    finally:
        _demo_allowed.reset(token)


def _demo_password_in_demo(password: str) -> bool:
    """The published demo password, where it is allowed (a demo installation, the demo's accounts)."""
    from rdec.core.demo import DEMO_PASSWORD

    in_demo = getattr(settings, "RDEC_DEMO", False) or _demo_allowed.get()
    return in_demo and password == DEMO_PASSWORD


def _folded(password: str) -> str:
    """Lower case, separators and spaces left out: `Citizen-Citizen` → `citizencitizen`."""
    return re.sub(r"[\s\-_.·,;:/\\|+*~]", "", password.casefold())


def _repeats_a_piece(text: str) -> bool:
    """True when `text` is a piece of at most half its length said again and again."""
    n = len(text)
    return n >= 2 and any(text == (text[:size] * (n // size + 1))[:n] for size in range(1, n // 2 + 1))


class RepeatedCharactersValidator:
    """`aaaaaaaaaaaa`, `abababababab`, `abcabcabcabc`, or three different characters at most."""

    def validate(self, password, user=None):
        folded = password.casefold()
        if len(set(folded)) <= 3 or _repeats_a_piece(folded):
            raise ValidationError(
                _("This password repeats the same few characters. Choose one that is harder to guess."),
                code="password_repeated_characters",
            )

    def get_help_text(self):
        return _("Your password can't be the same few characters repeated.")


def _sequence_share(password: str) -> float:
    """The share of the password's characters lying in runs of RUN or more neighbouring keys."""
    text = password.casefold()
    covered = [False] * len(text)
    for line in SEQUENCES:
        for sequence in (line, line[::-1]):
            start = 0
            while start < len(text):
                end = start + 1
                while end < len(text):
                    i = sequence.find(text[end - 1])
                    if i < 0 or i + 1 >= len(sequence) or sequence[i + 1] != text[end]:
                        break
                    end += 1
                if end - start >= RUN:
                    covered[start:end] = [True] * (end - start)
                start = end
    return sum(covered) / len(text) if text else 0.0


class KeyboardSequenceValidator:
    """`qwertyuiopasdf`, `abcdefghijklm`, `1234567890qwerty`: mostly keys in a row."""

    def validate(self, password, user=None):
        if _sequence_share(password) >= MAX_SEQUENCE_SHARE:
            raise ValidationError(
                _("This password is mostly keys next to each other on the keyboard or letters in order."),
                code="password_keyboard_sequence",
            )

    def get_help_text(self):
        return _("Your password can't be mostly a row of the keyboard or letters in order.")


class RepeatedWordValidator:
    """A word said twice (`citizen-citizen`), or the username anywhere in the password."""

    def validate(self, password, user=None):
        folded = _folded(password)
        if _repeats_a_piece(folded):
            raise ValidationError(
                _("This password repeats one word. Choose one that is harder to guess."),
                code="password_repeated_word",
            )
        username = _folded(getattr(user, "username", "") or "")
        if len(username) >= 3 and username in folded and not _demo_password_in_demo(password):
            raise ValidationError(
                _("Your password can't contain your username."), code="password_contains_username"
            )

    def get_help_text(self):
        return _("Your password can't contain your username or repeat one word.")


class DenylistValidator:
    """Passwords published with the software (the demo's) are refused outside the demo."""

    def validate(self, password, user=None):
        from rdec.core.demo import DEMO_PASSWORD

        if _folded(password) == _folded(DEMO_PASSWORD) and not _demo_password_in_demo(password):
            raise ValidationError(
                _("This password is published (it is the demo's) and cannot be used here."),
                code="password_denylisted",
            )

    def get_help_text(self):
        return _("Your password can't be a published password such as the demo's.")
