"""The disclosure register (政府資訊公開專區): Art. 7 categories, Art. 8 methods (category 1 needs the
gazette, §1.5 case 7), Art. 18 restrictions, permissions and the stale-item selector."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rdec.core.tests.factories import agency
from rdec.transparency.models import DisclosureItem, TransparencyRule
from rdec.transparency.selectors_registers import add_months, is_stale, stale_items
from rdec.transparency.services import disclosures as services

pytestmark = pytest.mark.django_db

D = datetime.date


def codes(exc: ValidationError, field: str) -> list[str]:
    return [e.code for e in exc.error_dict[field]]


def item_kwargs(**kw):
    values = {
        "agency": agency("construction"),
        "category": 5,
        "title": "建設局111年度施政計畫",
        "methods": ["online"],
        "published_on": D(2022, 1, 10),
        "updated_on": D(2022, 1, 10),
    }
    values.update(kw)
    return values


def test_it_rejects_a_category_1_item_without_the_gazette(personas):
    with pytest.raises(ValidationError) as exc:
        services.save_disclosure_item(actor=personas.staff, **item_kwargs(category=1, methods=["online"]))
    assert codes(exc.value, "methods") == ["gazette_required"]
    assert not DisclosureItem.objects.exists()


def test_it_accepts_a_category_1_item_in_the_gazette(personas):
    item = services.save_disclosure_item(
        actor=personas.staff, **item_kwargs(category=1, methods=["online", "gazette", "online"])
    )
    assert item.methods == ["gazette", "online"]
    assert "施政計畫" in item.search_text
    assert item.created_by == personas.staff


def test_it_rejects_unknown_methods_and_no_method(personas):
    with pytest.raises(ValidationError) as exc:
        services.save_disclosure_item(actor=personas.staff, **item_kwargs(methods=["fax"]))
    assert codes(exc.value, "methods") == ["invalid_choice"]
    with pytest.raises(ValidationError) as exc:
        services.save_disclosure_item(actor=personas.staff, **item_kwargs(methods=[]))
    assert codes(exc.value, "methods") == ["required"]


def test_it_rejects_a_category_outside_the_ten(personas):
    with pytest.raises(ValidationError) as exc:
        services.save_disclosure_item(actor=personas.staff, **item_kwargs(category=11))
    assert set(exc.value.error_dict) == {"category"}


@pytest.mark.parametrize("restriction", ["partial", "withheld"])
def test_a_restriction_needs_an_art18_item_and_a_reason(personas, restriction):
    with pytest.raises(ValidationError) as exc:
        services.save_disclosure_item(actor=personas.staff, **item_kwargs(restriction=restriction))
    assert codes(exc.value, "restriction_item") == ["restriction_item_required"]
    assert codes(exc.value, "restriction_reason") == ["restriction_reason_required"]


def test_a_withheld_item_with_its_ground_and_reason_is_saved(personas):
    item = services.save_disclosure_item(
        actor=personas.staff,
        **item_kwargs(restriction="withheld", restriction_item=7, restriction_reason="廠商營業秘密"),
    )
    assert (item.restriction, item.restriction_item) == ("withheld", 7)


def test_a_published_item_carries_no_ground(personas):
    item = services.save_disclosure_item(
        actor=personas.staff, **item_kwargs(restriction="none", restriction_item=7, restriction_reason="x")
    )
    assert (item.restriction_item, item.restriction_reason) == (None, "")


def test_the_last_update_cannot_precede_publication(personas):
    with pytest.raises(ValidationError) as exc:
        services.save_disclosure_item(actor=personas.staff, **item_kwargs(updated_on=D(2021, 12, 31)))
    assert codes(exc.value, "updated_on") == ["before_published"]


def test_staff_cannot_add_to_another_agencys_register(personas):
    with pytest.raises(PermissionDenied):
        services.save_disclosure_item(actor=personas.other_staff, **item_kwargs())
    with pytest.raises(PermissionDenied):
        services.save_disclosure_item(actor=personas.citizen, **item_kwargs())


def test_the_rdec_adds_to_any_register(personas):
    item = services.save_disclosure_item(actor=personas.officer, **item_kwargs())
    assert item.agency == agency("construction")


def test_update_checks_the_rules_again_and_the_permission(personas):
    item = services.save_disclosure_item(actor=personas.staff, **item_kwargs())
    with pytest.raises(PermissionDenied):
        services.update_disclosure_item(item, actor=personas.other_staff, title="改")
    with pytest.raises(ValidationError) as exc:
        services.update_disclosure_item(item, actor=personas.staff, category=1)
    assert codes(exc.value, "methods") == ["gazette_required"]
    services.update_disclosure_item(
        item, actor=personas.staff, title="建設局112年度施政計畫", updated_on=D(2023, 1, 5)
    )
    item.refresh_from_db()
    assert (item.title, item.updated_on, item.category) == ("建設局112年度施政計畫", D(2023, 1, 5), 5)
    assert "112年度" in item.search_text


def test_moving_an_item_needs_the_right_on_the_new_agency(personas):
    item = services.save_disclosure_item(actor=personas.staff, **item_kwargs())
    with pytest.raises(PermissionDenied):
        services.update_disclosure_item(item, actor=personas.staff, agency=agency("environment"))


# --- stale items -------------------------------------------------------------------------------------


def test_stale_items_by_the_rule_and_by_the_items_own_cycle(personas):
    old = services.save_disclosure_item(actor=personas.staff, **item_kwargs(updated_on=D(2022, 1, 10)))
    monthly = services.save_disclosure_item(
        actor=personas.staff,
        **item_kwargs(title="月報", published_on=D(2022, 12, 1), updated_on=D(2022, 12, 1), update_months=1),
    )
    fresh = services.save_disclosure_item(
        actor=personas.staff,
        **item_kwargs(title="新", published_on=D(2022, 12, 20), updated_on=D(2022, 12, 20)),
    )
    # 2022-01-10 + 12 months = 2023-01-10: stale from 2023-01-11; 2022-12-01 + 1 month = 2023-01-01
    assert list(stale_items(D(2023, 1, 10))) == [monthly]
    assert list(stale_items(D(2023, 1, 11))) == [old, monthly]
    assert fresh not in stale_items(D(2023, 1, 11))
    assert list(stale_items(D(2023, 1, 11), agency_ids={agency("environment").pk})) == []


def test_stale_follows_the_rule_version_in_force(personas):
    TransparencyRule.objects.create(effective_from=D(2023, 1, 1), source="測試", disclosure_update_months=6)
    item = services.save_disclosure_item(actor=personas.staff, **item_kwargs(updated_on=D(2022, 6, 1)))
    assert list(stale_items(D(2023, 1, 2))) == [item]


DAYS = st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    updated=DAYS,
    months=st.integers(min_value=1, max_value=120),
    offset=st.integers(min_value=-5, max_value=5),
)
def test_an_item_is_stale_exactly_after_its_cycle(updated, months, offset):
    rule = TransparencyRule(disclosure_update_months=12)
    item = DisclosureItem(updated_on=updated, update_months=months)
    due = add_months(updated, months)
    today = due + datetime.timedelta(days=offset)
    assert is_stale(item, today, rule) is (offset > 0)
    assert due > updated and (due.year * 12 + due.month) - (updated.year * 12 + updated.month) == months
