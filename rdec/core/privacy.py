"""The personal-data notice (個資告知, 個人資料保護法 §8): one definition for every form that collects
personal data, each form naming its own purpose.

A form shows the short notice next to its submit button with `{% load privacy %}{% privacy_notice
"petition" %}`; the full notice is the public page /privacy/ (rdec.core.privacy_views). Both read
NOTICES below: change the wording, the purposes or the contact here, in one place (and the
zh-Hant text through the catalogue). A new module adds its entry to NOTICES and includes the tag in
its form. See docs/personal-data.md.

The purposes carry the codes of the Ministry of Justice's list 「個人資料保護法之特定目的及個人資料
之類別」; the data categories its C-codes (C001 辨識個人者). The codes and the retention period are
to be checked by the city's personal-data officer before going live (docs/personal-data.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The rights of §3, the same on every form.
RIGHTS = [
    _("to ask whether we hold your data and to read it"),
    _("to have a copy made"),
    _("to have it completed or corrected"),
    _("to have its collection, processing or use stopped"),
    _("to have it deleted"),
]


@dataclass(frozen=True)
class Notice:
    key: str
    title: Promise  # the form, as the full notice's section heading names it
    purposes: list[tuple[str, Promise]]  # (code of the Ministry of Justice's list, name)
    purpose_text: Promise  # what the data is used for, in plain words
    categories: list[tuple[str, Promise]]  # (C-code, what of it the form asks)
    recipients: Promise  # who uses it
    period: Promise
    if_not_given: Promise
    extra: list[Promise] = field(default_factory=list)
    folded: bool = False  # the details behind a disclosure (the 1999 console: read aloud on request)


PETITION = Notice(
    key="petition",
    title=_("Petitions and the 1999 hotline"),
    purposes=[
        ("〇一三", _("public relations")),
        ("一六七", _("handling of petitions, requests and reports")),
    ],
    purpose_text=_(
        "to receive, route, handle and answer your petition, to tell you how it progresses, to ask "
        "how satisfied you are with the reply, and for statistics that identify no one"
    ),
    categories=[
        ("C001", _("identifying the person: name, telephone, e-mail, address")),
        ("", _("what you write in the petition, the place and the photos or documents you attach")),
    ],
    recipients=_(
        "the RDEC and the city agencies that handle your petition (an agency you name in it, or to "
        "which it is transferred); no one else, unless a law requires it"
    ),
    period=_(
        "while the petition is handled, then as long as the archives rules require the case file to be kept"
    ),
    if_not_given=_(
        "You may leave your name and contact details out. We cannot then answer you or tell you the "
        "outcome, and a petition without a real name or address may be left unhandled (行政程序法 "
        "§173)."
    ),
)

PETITION_PHONE = Notice(
    key="petition-phone",
    title=_("Petitions and the 1999 hotline"),
    purposes=PETITION.purposes,
    purpose_text=PETITION.purpose_text,
    categories=PETITION.categories,
    recipients=PETITION.recipients,
    period=PETITION.period,
    if_not_given=PETITION.if_not_given,
    extra=[
        _(
            "Tell the caller, before asking for their name, what their data is used for and that the "
            "full notice is on the website (個資告知)."
        )
    ],
    folded=True,
)

OPENDATA = Notice(
    key="opendata",
    title=_("Comments and data requests on the open-data platform"),
    purposes=[("〇一三", _("public relations"))],
    purpose_text=_(
        "to moderate and publish your comment or data request, to have the agency answer it, and to "
        "count how fast agencies answer"
    ),
    categories=[
        ("C001", _("identifying the person: your account's name and e-mail")),
        ("", _("what you write in the comment or request")),
    ],
    recipients=_(
        "the RDEC and the agency that answers; the comment, once approved, is public without your "
        "name or contact details"
    ),
    period=_("as long as the comment or request is kept on the platform"),
    if_not_given=_("Without an account a comment or a data request cannot be sent."),
)

ACCOUNT = Notice(
    key="account",
    title=_("Accounts"),
    purposes=[
        ("一三五", _("information and communication services")),
        ("一三六", _("information and database management")),
    ],
    purpose_text=_(
        "to sign you in, to show what you filed and to send you the notices you asked for; the "
        "audit trail records what an account did"
    ),
    categories=[("C001", _("identifying the person: name, e-mail, telephone, username"))],
    recipients=_("the RDEC, which runs the platform"),
    period=_("while the account exists; the audit trail as long as the audit rules require"),
    if_not_given=_("Without these an account cannot be made; petitions can still be filed without one."),
)

CITIZEN_ACCOUNT = Notice(
    key="citizen-account",
    title=_("Citizen accounts and the verification of phone and e-mail"),
    purposes=ACCOUNT.purposes,
    purpose_text=_(
        "to sign you in; to verify by one-time codes that your mobile phone and e-mail are yours, so "
        "that one person has one account and each support (附議) counts one person; to send you the "
        "notices you asked for. Your phone and e-mail are never shown to other users or on public pages."
    ),
    categories=[
        (
            "C001",
            _(
                "identifying the person: username, the name you choose to show (a pseudonym is allowed), "
                "e-mail, mobile phone"
            ),
        ),
        (
            "",
            _(
                "when your phone and e-mail were verified; the network address of requests, kept for rate limits"
            ),
        ),
    ],
    recipients=_("the RDEC, which runs the platform; the SMS and e-mail providers that deliver the codes"),
    period=_("while the account exists; the audit trail as long as the audit rules require"),
    if_not_given=_(
        "Without a mobile phone and an e-mail the account cannot be verified, and an unverified account "
        "cannot propose, support or comment; reading stays open to everyone."
    ),
)

NOTICES: dict[str, Notice] = {
    n.key: n for n in (PETITION, PETITION_PHONE, OPENDATA, ACCOUNT, CITIZEN_ACCOUNT)
}
# The sections of the full notice, in order (petition-phone is the petition's, read aloud).
FULL_NOTICE = ["petition", "opendata", "account", "citizen-account"]


def controller() -> dict:
    """Who collects (§8 (1)) and how to reach them to exercise the rights of §3."""
    return {
        "name": settings.SITE_NAME,
        "phone": getattr(settings, "RDEC_PRIVACY_PHONE", "04-22289111"),
        "email": getattr(settings, "RDEC_PRIVACY_EMAIL", ""),
        "area": _("Taiwan (the Republic of China)"),
    }


def notice(key: str) -> Notice:
    return NOTICES[key]


def context(key: str) -> dict:
    """What the notice templates show for one form, its lists joined the reader's way (、 and ；)."""
    from django.utils.translation import pgettext

    n = notice(key)
    comma, semicolon = pgettext("list separator", ", "), pgettext("list separator", "; ")
    return {
        "notice": n,
        "controller": controller(),
        "purposes": comma.join(f"{code} {name}" for code, name in n.purposes),
        "categories": semicolon.join(f"{code} {what}" if code else str(what) for code, what in n.categories),
        "rights": comma.join(str(r) for r in RIGHTS),
    }
