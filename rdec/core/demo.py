"""Demo accounts, one for each role, and the hook through which each module seeds demo content."""

from __future__ import annotations

from rdec.core import services
from rdec.core.models import Agency, Role, User
from rdec.core.passwords import demo_passwords_allowed

DEMO_PASSWORD = "rdec-demo-2026"  # noqa: S105 - documented demo-only password

DEMO_ACCOUNTS = [
    # username, role, agency code, display name
    ("admin", Role.ADMIN, "rdec", "吳建宏"),
    ("rdec", Role.RDEC_OFFICER, "rdec", "林怡君"),
    ("agent", Role.CALL_AGENT, "rdec", "陳美玲"),
    ("staff", Role.AGENCY_STAFF, "construction", "王俊傑"),
    ("supervisor", Role.SUPERVISOR, "construction", "張文華"),
    ("staff-env", Role.AGENCY_STAFF, "environment", "李佳蓉"),
    ("citizen", Role.CITIZEN, None, "黃小明"),
]


# Earlier demos named the accounts after their roles (「市民 黃小明」, shown as 「市民 黃小明（市民）」):
# a demo database made then takes the people's names on the next `rdec demo`.
FORMER_NAMES = {
    "admin": "系統管理員",
    "rdec": "研考會 林研考",
    "agent": "1999 話務 陳話務",
    "staff": "建設局 王承辦",
    "supervisor": "建設局 張主管",
    "staff-env": "環保局 李承辦",
    "citizen": "市民 黃小明",
}


# Verified citizens (phone by SMS code, e-mail by code; rdec.core.verification): the demo's own numbers
# and addresses (example.tw), made verified so the demo can propose, support and comment at once.
# `citizen` is in DEMO_ACCOUNTS; `citizen2` is a second verified citizen (a second support, a reply).
DEMO_CITIZENS = {
    "citizen": ("0912345678", "citizen@example.tw", "黃小明"),
    "citizen2": ("0923456789", "citizen2@example.tw", "陳小華"),
}


def ensure_verified_citizens() -> list[User]:
    from django.utils import timezone

    users = []
    for username, (phone, email, display_name) in DEMO_CITIZENS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            with demo_passwords_allowed():
                user = services.create_user(
                    username=username,
                    password=DEMO_PASSWORD,
                    role=Role.CITIZEN,
                    display_name=display_name,
                    email=email,
                    actor=None,
                )
        if not (user.phone and user.phone_verified_at and user.email and user.email_verified_at):
            now = timezone.now()
            user.phone = user.phone or phone
            user.email = user.email or email
            user.save(update_fields=["phone", "email"])
            user.phone_verified_at = user.phone_verified_at or now
            user.email_verified_at = user.email_verified_at or now
            user.save(update_fields=["phone_verified_at", "email_verified_at"])
        users.append(user)
    return users


def ensure_demo_accounts() -> list[User]:
    users = []
    agencies = {
        a.code: a for a in Agency.objects.filter(code__in={c for _u, _r, c, _n in DEMO_ACCOUNTS if c})
    }
    for username, role, agency_code, display_name in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            with demo_passwords_allowed():  # the published demo password, in the demo only
                user = services.create_user(
                    username=username,
                    password=DEMO_PASSWORD,
                    role=role,
                    agency=agencies.get(agency_code),
                    display_name=display_name,
                    actor=None,
                )
        elif user.display_name == FORMER_NAMES.get(username):
            user.display_name = display_name
            user.save(update_fields=["display_name"])
        users.append(user)
    ensure_verified_citizens()  # the citizen's phone and e-mail verified; a second verified citizen
    return users
