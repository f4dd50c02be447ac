from __future__ import annotations

from types import SimpleNamespace

import factory

from rdec.core.models import Agency, Role, User

PASSWORD = "correct-horse-battery"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name", locale="zh_TW")
    role = Role.CITIZEN
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def make_personas() -> SimpleNamespace:
    """A citizen, a call agent, staff and a supervisor of 建設局, staff of 環保局 and of 農業局,
    an RDEC officer and an administrator."""
    construction, environment, agriculture, rdec = (
        agency("construction"),
        agency("environment"),
        agency("agriculture"),
        agency("rdec"),
    )
    return SimpleNamespace(
        citizen=UserFactory(username="citizen", role=Role.CITIZEN),
        agent=UserFactory(username="agent", role=Role.CALL_AGENT, agency=rdec),
        staff=UserFactory(username="staff", role=Role.AGENCY_STAFF, agency=construction),
        supervisor=UserFactory(username="supervisor", role=Role.SUPERVISOR, agency=construction),
        other_staff=UserFactory(username="staff-env", role=Role.AGENCY_STAFF, agency=environment),
        agri_staff=UserFactory(username="staff-agri", role=Role.AGENCY_STAFF, agency=agriculture),
        officer=UserFactory(username="officer", role=Role.RDEC_OFFICER, agency=rdec),
        admin=UserFactory(username="admin", role=Role.ADMIN, agency=rdec, is_staff=True, is_superuser=True),
    )
