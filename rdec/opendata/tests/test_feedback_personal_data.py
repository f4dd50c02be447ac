"""A comment on a dataset is public once approved: a phone, e-mail or ID number typed into it is
masked on the public pages (core.pii through the `pii_masked` template filter)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rdec.core.context import acting_as
from rdec.opendata import services
from rdec.opendata.tests.factories import publish

pytestmark = pytest.mark.django_db


def test_an_approved_comment_shows_no_typed_personal_data(personas):
    dataset = publish(personas.staff)
    with acting_as(personas.citizen):
        item = services.submit_feedback(
            actor=personas.citizen,
            kind="comment",
            dataset=dataset,
            title="欄位缺漏，請回電0933222111",
            body="我是王大明，電話０９３３２２２１１１，信箱wang@example.com，身分證a123456789",
            topic="content",
        )
    with acting_as(personas.officer):
        services.moderate_feedback(item, actor=personas.officer, decision="approved")
    anonymous = Client()
    for url in (
        reverse("opendata:feedback-detail", args=[item.pk]),
        reverse("opendata:dataset-detail", args=[dataset.name]),
    ):
        body = anonymous.get(url).content.decode()
        assert "0933-***-111" in body, url
        for secret in ("0933222111", "０９３３２２２１１１", "王大明", "wang@example.com", "a123456789"):
            assert secret not in body, (url, secret)
