"""The design system's colours meet WCAG 2.1 AA, computed from the values in core/static/core/rdec.css,
and the style guide (/styleguide/) is for staff only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rdec.core import design_tokens


def test_every_token_pair_meets_wcag_aa_contrast_from_the_css_file():
    rows = design_tokens.pair_rows()
    assert len(rows) == len(design_tokens.PAIRS) >= 20
    failing = [
        f"{r['pair'].foreground} on {r['pair'].background}: {r['ratio']}:1 < {r['pair'].minimum}:1"
        for r in rows
        if r["ratio"] < r["pair"].minimum
    ]
    assert failing == []


def test_text_pairs_need_4_5_and_the_four_status_tags_are_checked():
    text_pairs = {
        (p.foreground, p.background) for p in design_tokens.PAIRS if p.minimum == design_tokens.TEXT
    }
    for tone in ("overdue", "due", "closed", "tracked"):
        assert (f"tag-{tone}-text", f"tag-{tone}-bg") in text_pairs


def test_tokens_are_read_from_the_style_sheet():
    tokens = design_tokens.tokens()
    css = design_tokens.CSS.read_text(encoding="utf-8")
    assert (
        tokens["color-primary"] in css.lower()
        and f"--color-primary: {tokens['color-primary']}" in css.lower()
    )
    assert tokens["color-surface"] == "#ffffff"  # #fff expanded


def test_contrast_formula_matches_wcag_reference_values():
    assert design_tokens.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert design_tokens.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "officer", "agent", "admin"])
def test_staff_see_the_style_guide(client, personas, who):
    client.force_login(getattr(personas, who))
    response = client.get(reverse("core:styleguide"))
    assert response.status_code == 200
    body = response.content.decode()
    for component in (
        "sg-colours",
        "sg-buttons",
        "sg-fields",
        "sg-file",
        "sg-tables",
        "sg-tags",
        "sg-alerts",
        "sg-cards",
        "sg-actions",
    ):
        assert f'data-testid="{component}"' in body
    assert "tag tag-overdue" in body and "button-warning" in body and "alert alert-error" in body


@pytest.mark.django_db
def test_citizens_and_anonymous_visitors_get_403(client, personas):
    assert client.get(reverse("core:styleguide")).status_code == 403
    client.force_login(personas.citizen)
    assert client.get(reverse("core:styleguide")).status_code == 403
