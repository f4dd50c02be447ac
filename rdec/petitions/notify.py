"""Telling petitioners and officials: e-mail (Django's mail backend) and SMS (a sender interface;
the default implementation only logs a masked line). Every message is kept as a Notification."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

# The SMS sender interface lives in core (citizen accounts send their phone codes through it too);
# kept importable from here, and the setting RDEC_SMS_SENDER is unchanged.
from rdec.core.sms import LoggingSmsSender, sms_sender

__all__ = ["LoggingSmsSender", "notify_official", "notify_petitioner", "sms_sender"]


def notify_petitioner(case, subject: str, body: str) -> int:
    """E-mail and/or SMS to the case's petitioner, whichever contact they gave. Returns how many."""
    from rdec.petitions.models import Notification

    sent = 0
    if case.petitioner_email:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [case.petitioner_email], fail_silently=False)
        Notification.objects.create(
            case=case, channel="email", recipient=case.petitioner_email, subject=subject, body=body
        )
        sent += 1
    if case.petitioner_phone and not case.petitioner_email:
        sms_sender().send(case.petitioner_phone, f"{subject} {body}"[:300])
        Notification.objects.create(
            case=case, channel="sms", recipient=case.petitioner_phone, subject=subject, body=body
        )
        sent += 1
    return sent


def notify_official(email: str, subject: str, body: str, case=None) -> None:
    from rdec.petitions.models import Notification

    if not email:
        return
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)
    Notification.objects.create(case=case, channel="email", recipient=email, subject=subject, body=body)
