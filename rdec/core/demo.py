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
    return users
