"""Citizen accounts and their verified phone and e-mail (core, reusable by every module).

Proposing, supporting and commenting (participation), and later the citizen platform's L0 level,
need a citizen account whose phone (an SMS one-time code through `rdec.core.sms.sms_sender()`) and
e-mail (a one-time code by mail) were verified.

The rules of a one-time code (`OneTimeCode`):

- six digits from `secrets`; only a keyed hash is stored (HMAC-SHA256 with the site's secret key,
  bound to the account, the channel and the destination: a code sent to the old number never
  verifies a new one);
- valid for 10 minutes (`CODE_MINUTES`), refused after 5 wrong tries (`MAX_ATTEMPTS`); a new code
  replaces every earlier one of the account and channel;
- a new code at most every 60 s (`RESEND_SECONDS`) and 5 an hour (`CODES_PER_HOUR`) per account
  and channel, and 20 an hour from one address (`SENDS_PER_IP_HOUR`, in the cache);
- a phone or an e-mail address verified on one account cannot be verified on another (one person,
  one account: 附議 counts people);
- changing the phone or the e-mail clears its verification (a `pre_save` signal on `User`, so the
  admin and any service are covered too).

Codes, phones and e-mail addresses are never logged (the audit trail masks `User.phone` and
`User.email`; the events recorded here carry no values). Registration of a citizen account is
`register_citizen`; pages are in `rdec/core/account_views.py`.
"""

from __future__ import annotations

import datetime
import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.context import acting_as
from rdec.core.models import OneTimeCode, Role, User

__all__ = [
    "CODE_MINUTES",
    "MAX_ATTEMPTS",
    "RESEND_SECONDS",
    "CodeThrottled",
    "is_verified_citizen",
    "normalize_mobile",
    "register_citizen",
    "change_contact",
    "send_phone_code",
    "confirm_phone_code",
    "send_email_code",
    "confirm_email_code",
    "verification_state",
]

CODE_MINUTES = 10
MAX_ATTEMPTS = 5
RESEND_SECONDS = 60
CODES_PER_HOUR = 5
SENDS_PER_IP_HOUR = 20
REGISTRATIONS_PER_IP_HOUR = 10

_MOBILE = re.compile(r"09\d{8}")


def is_verified_citizen(user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.CITIZEN
        and user.phone_verified_at
        and user.email_verified_at
    )


class CodeThrottled(ValidationError):
    """Too many codes asked for (per account or per address): HTTP 429 on the pages."""


def normalize_mobile(value: str) -> str:
    """A Taiwanese mobile number as 09xxxxxxxx: 0912-345-678, 0912 345 678, +886 912 345 678 and
    full-width digits are accepted; anything else raises ValidationError."""
    import unicodedata

    text = unicodedata.normalize("NFKC", value or "").strip()
    digits = re.sub(r"[\s\-().]", "", text)
    if digits.startswith("+886"):
        digits = "0" + digits[4:]
    elif digits.startswith("886") and len(digits) == 12:
        digits = "0" + digits[3:]
    if not _MOBILE.fullmatch(digits):
        raise ValidationError(
            _("Enter a Taiwanese mobile number of 10 digits starting with 09, e.g. 0912-345-678."),
            code="mobile",
        )
    return digits


# --- registration -----------------------------------------------------------------------------------


def _count_ip(kind: str, ip_address: str | None, limit: int) -> None:
    """Count one event from `ip_address` in the hour's bucket; CodeThrottled past `limit`."""
    if not ip_address:
        return
    key = f"rdec:{kind}:{ip_address}:{int(timezone.now().timestamp() // 3600)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > limit:
        raise CodeThrottled(_("Too many requests from your network. Please try again in an hour."), code="ip")


def register_citizen(
    *,
    username: str,
    password: str,
    display_name: str,
    email: str,
    phone: str,
    ip_address: str | None = None,
) -> User:
    """A person makes their own citizen account (unverified until the codes are confirmed).
    Raises ValidationError with field errors; at most `REGISTRATIONS_PER_IP_HOUR` from one address."""
    errors: dict[str, list[str]] = {}
    username = (username or "").strip()
    email = (email or "").strip()
    display_name = (display_name or "").strip()
    try:
        User.username_validator(username)
    except ValidationError as exc:
        errors["username"] = exc.messages
    if not username:
        errors["username"] = [_("This field is required.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken; choose another.")]
    if not display_name:
        errors["display_name"] = [_("This field is required.")]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    try:
        phone = normalize_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    candidate = User(username=username, display_name=display_name, email=email, role=Role.CITIZEN)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    _count_ip("register", ip_address, REGISTRATIONS_PER_IP_HOUR)
    with transaction.atomic(), acting_as(None, ip_address):
        user = User(username=username, display_name=display_name, email=email, phone=phone, role=Role.CITIZEN)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        audit.record("account.registered", user)
    return user


def change_contact(*, actor: User, email: str, phone: str, ip_address: str | None = None) -> User:
    """The account holder changes their e-mail or phone; a changed one is no longer verified (the
    signal below clears it) and earlier codes stop working (they are bound to the old destination)."""
    if not (actor and actor.is_authenticated and actor.is_active):
        raise ValidationError(_("Log in first."))
    errors: dict[str, list[str]] = {}
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    try:
        phone = normalize_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor, ip_address):
        actor.email, actor.phone = email, phone
        actor.save(update_fields=["email", "phone"])
    return actor


# --- one-time codes ---------------------------------------------------------------------------------


def _hash(user: User, channel: str, destination: str, code: str) -> str:
    message = f"{user.pk}:{channel}:{destination.lower()}:{code}".encode()
    key = f"rdec.core.verification:{settings.SECRET_KEY}".encode()
    return hmac.new(key, message, "sha256").hexdigest()


def _destination(user: User, channel: str) -> str:
    if channel == OneTimeCode.Channel.SMS:
        return normalize_mobile(user.phone) if user.phone else ""
    return (user.email or "").strip().lower()


def _taken_elsewhere(user: User, channel: str, destination: str) -> bool:
    others = User.objects.exclude(pk=user.pk)
    if channel == OneTimeCode.Channel.SMS:
        return others.filter(phone=destination, phone_verified_at__isnull=False).exists()
    return others.filter(email__iexact=destination, email_verified_at__isnull=False).exists()


def _send_code(user: User, channel: str, ip_address: str | None) -> OneTimeCode:
    if not (user and user.is_authenticated and user.is_active and user.role == Role.CITIZEN):
        raise ValidationError(_("Only a citizen account verifies its phone and e-mail here."))
    field = "phone" if channel == OneTimeCode.Channel.SMS else "email"
    destination = _destination(user, channel)
    if not destination:
        raise ValidationError({field: _("Add it to your account first.")})
    if _taken_elsewhere(user, channel, destination):
        raise ValidationError(
            {field: _("This is already verified on another account. One person has one account.")}
        )
    now = timezone.now()
    recent = OneTimeCode.objects.filter(
        user=user, channel=channel, created_at__gte=now - datetime.timedelta(hours=1)
    )
    last = recent.order_by("-created_at").first()
    if last is not None and (now - last.created_at).total_seconds() < RESEND_SECONDS:
        wait = RESEND_SECONDS - int((now - last.created_at).total_seconds())
        raise CodeThrottled(
            _("A code was sent a moment ago. You may ask for another in %(seconds)s seconds.")
            % {"seconds": wait},
            code="resend",
        )
    if recent.count() >= CODES_PER_HOUR:
        raise CodeThrottled(_("Too many codes asked for. Please try again in an hour."), code="hour")
    _count_ip("otp", ip_address, SENDS_PER_IP_HOUR)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        OneTimeCode.objects.filter(user=user, channel=channel, used_at__isnull=True).update(used_at=now)
        otc = OneTimeCode.objects.create(
            user=user,
            channel=channel,
            destination=destination,
            code_hash=_hash(user, channel, destination, code),
            expires_at=now + datetime.timedelta(minutes=CODE_MINUTES),
        )
    text = _("%(site)s verification code: %(code)s (valid for %(minutes)s minutes; never tell anyone).") % {
        "site": settings.SITE_NAME,
        "code": code,
        "minutes": CODE_MINUTES,
    }
    if channel == OneTimeCode.Channel.SMS:
        from rdec.core.sms import sms_sender

        sms_sender().send(destination, text)
    else:
        send_mail(
            _("Your e-mail verification code"),
            text + "\n\n" + _("If you did not ask for it, ignore this message."),
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
            fail_silently=False,
        )
    return otc


def _confirm_code(user: User, channel: str, code: str, ip_address: str | None) -> None:
    code = re.sub(r"\s", "", code or "")
    destination = _destination(user, channel) if user and user.is_authenticated else ""
    error = None
    with transaction.atomic():
        otc = (
            OneTimeCode.objects.select_for_update()
            .filter(user=user, channel=channel, used_at__isnull=True, destination=destination)
            .order_by("-created_at")
            .first()
        )
        now = timezone.now()
        if otc is None or not destination:
            error = _("There is no code waiting. Ask for a new one.")
        elif otc.expires_at <= now:
            error = _("The code has expired. Ask for a new one.")
        elif otc.attempts >= MAX_ATTEMPTS:
            error = _("Too many wrong tries. Ask for a new code.")
        elif not hmac.compare_digest(otc.code_hash, _hash(user, channel, destination, code)):
            otc.attempts += 1
            otc.save(update_fields=["attempts"])
            left = MAX_ATTEMPTS - otc.attempts
            error = (
                _("The code is not right. %(left)s tries left.") % {"left": left}
                if left
                else _("Too many wrong tries. Ask for a new code.")
            )
        elif _taken_elsewhere(user, channel, destination):
            error = _("This is already verified on another account. One person has one account.")
        else:
            otc.used_at = now
            otc.save(update_fields=["used_at"])
            field = "phone_verified_at" if channel == OneTimeCode.Channel.SMS else "email_verified_at"
            setattr(user, field, now)
            with acting_as(user, ip_address):
                user.save(update_fields=[field])
                audit.record(
                    "account.phone_verified"
                    if channel == OneTimeCode.Channel.SMS
                    else "account.email_verified",
                    user,
                )
    if error:
        raise ValidationError({"code": error})


def send_phone_code(*, actor: User, ip_address: str | None = None) -> OneTimeCode:
    """Send an SMS one-time code to the account's phone. CodeThrottled when asked too often."""
    return _send_code(actor, OneTimeCode.Channel.SMS, ip_address)


def confirm_phone_code(*, actor: User, code: str, ip_address: str | None = None) -> None:
    """Check the code; on success the phone is verified. ValidationError {"code": …} otherwise."""
    _confirm_code(actor, OneTimeCode.Channel.SMS, code, ip_address)


def send_email_code(*, actor: User, ip_address: str | None = None) -> OneTimeCode:
    return _send_code(actor, OneTimeCode.Channel.EMAIL, ip_address)


def confirm_email_code(*, actor: User, code: str, ip_address: str | None = None) -> None:
    _confirm_code(actor, OneTimeCode.Channel.EMAIL, code, ip_address)


@dataclass(frozen=True)
class VerificationState:
    phone_verified: bool
    email_verified: bool
    phone_code_waiting: bool
    email_code_waiting: bool

    @property
    def complete(self) -> bool:
        return self.phone_verified and self.email_verified


def verification_state(user: User) -> VerificationState:
    now = timezone.now()
    waiting = set(
        OneTimeCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).values_list(
            "channel", flat=True
        )
    )
    return VerificationState(
        phone_verified=bool(user.phone_verified_at),
        email_verified=bool(user.email_verified_at),
        phone_code_waiting=OneTimeCode.Channel.SMS in waiting,
        email_code_waiting=OneTimeCode.Channel.EMAIL in waiting,
    )


# --- a changed phone or e-mail is no longer verified ----------------------------------------------------

_CLEARED = "_rdec_cleared_verification"


def _same_phone(a: str, b: str) -> bool:
    return re.sub(r"\D", "", a or "") == re.sub(r"\D", "", b or "")


def clear_changed_verification(sender, instance: User, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    if update_fields is not None and not ({"phone", "email"} & set(update_fields)):
        return
    before = User.objects.filter(pk=instance.pk).values("phone", "email").first()
    if before is None:
        return
    cleared = []
    if instance.phone_verified_at and not _same_phone(before["phone"], instance.phone):
        instance.phone_verified_at = None
        cleared.append("phone_verified_at")
    if instance.email_verified_at and (before["email"] or "").lower() != (instance.email or "").lower():
        instance.email_verified_at = None
        cleared.append("email_verified_at")
    if cleared and update_fields is not None:
        instance.__dict__[_CLEARED] = [f for f in cleared if f not in update_fields]


def _save_cleared(sender, instance: User, **kwargs) -> None:
    fields = instance.__dict__.pop(_CLEARED, None)
    if fields:
        User.objects.filter(pk=instance.pk).update(**dict.fromkeys(fields))


def connect_signals() -> None:
    pre_save.connect(clear_changed_verification, sender=User, dispatch_uid="rdec.verification.clear")
    post_save.connect(_save_cleared, sender=User, dispatch_uid="rdec.verification.save_cleared")
