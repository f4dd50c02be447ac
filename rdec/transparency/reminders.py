"""The weekly disclosure digest (資訊公開管考摘要): every Monday each agency's staff and supervisors get,
by e-mail, their agency's contracts past their §84 publication day, MOUs signed but not published in
time, MOUs ending within the rule's reminder days and disclosure items past their update cycle; the
RDEC's officers get the whole city's. An agency with nothing to follow up gets nothing.

A digest of the state on the day (no record of what was sent): a missed week is simply covered by
the next one, and a repeated run sends the same digest again. Celery beat `transparency-digest`
(Mondays 07:30) or `rdec transparency_reminders` from cron."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rdec.core.dates import roc_date
from rdec.core.models import Role, User
from rdec.transparency.selectors_contracts import overdue_contracts
from rdec.transparency.selectors_registers import expiring_mous, overdue_mous, stale_items

MAX_LINES = 50  # per section of one mail; the worklist has the rest


def _sections(today: datetime.date) -> tuple[dict[int, dict[str, list[str]]], dict[int, str]]:
    """(agency id → section → lines, agency id → its short name)."""
    found: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    names: dict[int, str] = {}
    for c in overdue_contracts(today):
        names[c.agency_id] = c.agency.short_name
        found[c.agency_id]["contracts"].append(
            _("%(title)s (publication due %(due)s)") % {"title": c.title, "due": roc_date(c.publication_due)}
        )
    for m in overdue_mous(today):
        names[m.lead_agency_id] = m.lead_agency.short_name
        found[m.lead_agency_id]["overdue_mous"].append(
            _("%(title)s (publication due %(due)s)") % {"title": m.title, "due": roc_date(m.publication_due)}
        )
    for m in expiring_mous(today):
        names[m.lead_agency_id] = m.lead_agency.short_name
        found[m.lead_agency_id]["expiring_mous"].append(
            _("%(title)s (ends %(end)s)") % {"title": m.title, "end": roc_date(m.term_end)}
        )
    for d in stale_items(today):
        names[d.agency_id] = d.agency.short_name
        found[d.agency_id]["stale"].append(
            _("%(title)s (last updated %(day)s)") % {"title": d.title, "day": roc_date(d.updated_on)}
        )
    return found, names


def _body(sections: dict[str, list[str]]) -> str:
    titles = {
        "contracts": _("Contracts past their publication day (採購法施行細則 §84):"),
        "overdue_mous": _("MOUs signed but not published in time:"),
        "expiring_mous": _("MOUs ending soon (renew or let them end):"),
        "stale": _("Disclosure items past their update cycle:"),
    }
    parts = []
    for key, title in titles.items():
        lines = sections.get(key) or []
        if lines:
            more = len(lines) - MAX_LINES
            parts.append(
                "\n".join(
                    [title, *(f"- {line}" for line in lines[:MAX_LINES])]
                    + ([_("… and %(count)s more.") % {"count": more}] if more > 0 else [])
                )
            )
    link = settings.SITE_URL + "/transparency/manage/"
    return "\n\n".join(parts) + "\n\n" + _("The worklist: %(url)s") % {"url": link}


def send_weekly_digest(today: datetime.date | None = None) -> int:
    """Send the digests; returns how many e-mails were sent."""
    today = today or timezone.localdate()
    found, names = _sections(today)
    if not found:
        return 0
    people: dict[int, list[str]] = defaultdict(list)
    for user in User.objects.filter(
        agency_id__in=list(found), role__in=[Role.AGENCY_STAFF, Role.SUPERVISOR], is_active=True
    ).exclude(email=""):
        people[user.agency_id].append(user.email)
    officers = list(
        User.objects.filter(role=Role.RDEC_OFFICER, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Disclosure follow-up of the week of %(day)s") % {"day": roc_date(today)}
        for agency_id, sections in found.items():
            recipients = people.get(agency_id, [])
            if recipients:
                send_mail(
                    subject, _body(sections), settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False
                )
                sent += 1
        if officers:
            merged: dict[str, list[str]] = defaultdict(list)
            for agency_id, sections in found.items():
                for key, lines in sections.items():
                    merged[key].extend(f"{names[agency_id]}：{line}" for line in lines)
            send_mail(subject, _body(merged), settings.DEFAULT_FROM_EMAIL, officers, fail_silently=False)
            sent += 1
    return sent
