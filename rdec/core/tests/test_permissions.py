"""Agency scoping and permission checks that every module relies on."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from rdec.core.models import Agency, User
from rdec.core.permissions import require, scope_to_agencies, visible_agency_ids

pytestmark = pytest.mark.django_db


def codes(user) -> set[str]:
    return set(scope_to_agencies(Agency.objects.all(), user, field="pk").values_list("code", flat=True))


def test_rdec_officers_and_admins_see_every_agency(personas):
    assert visible_agency_ids(personas.officer) is None
    assert visible_agency_ids(personas.admin) is None
    assert len(codes(personas.officer)) == Agency.objects.count()


def test_agency_staff_see_only_their_agency(personas):
    assert codes(personas.staff) == {"construction"}
    assert codes(personas.supervisor) == {"construction"}
    assert codes(personas.other_staff) == {"environment", "cleaning-squads"}


def test_a_bureau_sees_its_second_level_agencies(personas):
    assert codes(personas.agri_staff) == {"agriculture", "animal-protection"}


@pytest.mark.parametrize("who", ["citizen", "agent"])
def test_citizens_and_call_agents_see_no_agency_work(personas, who):
    assert codes(getattr(personas, who)) == set()


def test_anonymous_and_deactivated_users_see_nothing(personas):
    assert codes(AnonymousUser()) == set()
    personas.staff.is_active = False
    assert codes(personas.staff) == set()


def test_scoping_a_queryset_of_users_by_their_agency(personas):
    visible = set(scope_to_agencies(User.objects.all(), personas.staff).values_list("username", flat=True))
    assert visible == {"staff", "supervisor"}


def test_require_raises_for_users_without_the_permission(personas):
    require(personas.officer, "core.view_audit")
    for user in (personas.staff, personas.supervisor, personas.citizen, personas.agent, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            require(user, "core.view_audit")


def test_object_checks_follow_the_agency(personas):
    construction = Agency.objects.get(code="construction")
    require(personas.staff, "core.view_agency_work", construction)
    with pytest.raises(PermissionDenied):
        require(personas.other_staff, "core.view_agency_work", construction)
