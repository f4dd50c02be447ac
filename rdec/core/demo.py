"""Demo accounts, one for each role, and the hook through which each module seeds demo content."""

from __future__ import annotations

from rdec.core import services
from rdec.core.models import Agency, Role, User
from rdec.core.passwords import demo_passwords_allowed

DEMO_PASSWORD = "rdec-demo-2026"  # noqa: S105 - documented demo-only password

DEMO_ACCOUNTS = [
    # username, role, agency code, display name
    ("admin", Role.ADMIN, "rdec", "系統管理員"),
    ("rdec", Role.RDEC_OFFICER, "rdec", "研考會 林研考"),
    ("agent", Role.CALL_AGENT, "rdec", "1999 話務 陳話務"),
    ("staff", Role.AGENCY_STAFF, "construction", "建設局 王承辦"),
    ("supervisor", Role.SUPERVISOR, "construction", "建設局 張主管"),
    ("staff-env", Role.AGENCY_STAFF, "environment", "環保局 李承辦"),
    ("citizen", Role.CITIZEN, None, "市民 黃小明"),
]


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
        users.append(user)
    return users
