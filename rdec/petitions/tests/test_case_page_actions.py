"""The case page's actions (the design system's record-actions pattern): the next step first and
prominent, the other actions folded, the destructive one (撤回) set apart at the end and confirmed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from rdec.petitions.models import Case
from rdec.petitions.tests.test_views import file_case

pytestmark = pytest.mark.django_db


def _page(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("petitions:case", args=[case.number]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_next_step_comes_first_then_other_actions_then_the_withdrawal(client, personas):
    case, _code = file_case()
    body = _page(client, personas.staff, case)
    main, more, danger = (
        body.index(f'data-testid="{part}"') for part in ("action-main", "action-more", "danger-zone")
    )
    assert main < more < danger
    actions = re.findall(r'data-action="([a-z_]+)"', body)
    assert actions[0] == "start"  # the first card is the primary action
    assert actions.index("reply") < actions.index("transfer") < actions.index("withdraw")
    assert actions[-1] == "withdraw"
    # the primary action is a primary button; the folded ones are secondary; the withdrawal a warning
    first_form = body[main : body.index("</form>", main)]
    assert 'class="button"' in first_form
    assert re.search(r'<details id="transfer-details">\s*<summary>', body)
    assert 'class="button button-warning">' in body[danger:]


def test_the_withdrawal_asks_for_confirmation_before_it_is_sent(client, personas):
    case, _code = file_case()
    body = _page(client, personas.staff, case)
    form = re.search(r'<form[^>]*id="withdraw-form"[^>]*>', body).group(0)
    assert f'data-confirm="確定撤回案件 {case.number}？"' in form
    assert 'data-confirm-ok="' in form


def test_a_folded_action_with_errors_opens_by_itself(client, personas):
    case, _code = file_case()
    client.force_login(personas.staff)
    response = client.post(
        reverse("petitions:case-transfer", args=[case.number]), {"agency": "", "reason": ""}
    )
    assert response.status_code == 400 or response.status_code == 200
    assert '<details id="transfer-details" open>' in response.content.decode()


def test_a_closed_case_offers_no_withdrawal(client, personas):
    case, _code = file_case()
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    assert 'data-testid="danger-zone"' not in _page(client, personas.officer, case)


def test_merging_as_a_duplicate_is_confirmed_too(client, personas):
    case, _code = file_case()
    body = _page(client, personas.staff, case)
    form = re.search(r'<form[^>]*id="merge-form"[^>]*>', body).group(0)
    assert f'data-confirm="確定將案件 {case.number} 併入您輸入的案件？"' in form
