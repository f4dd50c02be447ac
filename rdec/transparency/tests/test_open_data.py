"""The registers as open data: a dataset each in the catalog, its CSV regenerated from the public rows,
a new version only when a register changed, and the catalog's quality check gives it the gold badge."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from rdec.core.models import Agency
from rdec.opendata.models import Dataset
from rdec.transparency.models import Contract
from rdec.transparency.opendata import DATASETS, publish_registers, register_csv

pytestmark = pytest.mark.django_db


def published_contract(agency, n: int, **extra) -> Contract:
    values = {
        "supplier_name": "大成營造股份有限公司",
        "supplier_tax_id": "12345678",
        "award_amount": Decimal("1000000"),
        "signed_on": datetime.date(2025, 3, 20),
        **extra,
    }
    return Contract.objects.create(
        agency=agency,
        ocid=f"ocds-tc1999-od-{n}",
        title=f"開放資料測試契約 {n}",
        status=Contract.Status.PUBLISHED,
        published_at=timezone.now(),
        **values,
    )


def test_each_register_is_a_gold_dataset_regenerated_only_when_it_changed(
    personas, django_capture_on_commit_callbacks
):
    agency = Agency.objects.get(code="construction")
    published_contract(agency, 1)
    Contract.objects.create(agency=agency, ocid="ocds-tc1999-od-draft", title="草稿契約")  # never published
    out = StringIO()
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # the catalog checks each new file after the commit
        call_command("publish_transparency_data", stdout=out)
    assert out.getvalue().splitlines() == ["contracts: 已建立", "mous: 已建立", "disclosures: 已建立"]
    for spec in DATASETS:
        dataset = Dataset.objects.get(name=spec.name)
        assert dataset.agency.code == "rdec" and dataset.update_frequency == "每日"
        resource = dataset.resources.get()
        assert resource.format == "CSV"
        dataset.refresh_from_db()
        check = resource.quality_checks.order_by("-id").first()
        assert check is not None and check.badge == "gold", (spec.name, check and check.messages)
        assert dataset.quality_badge == "gold"
    contracts = Dataset.objects.get(name="taichung-contracts").resources.get()
    text = contracts.file.open("rb").read().decode("utf-8-sig")
    assert "開放資料測試契約 1" in text and "草稿契約" not in text
    versions = contracts.versions.count()
    assert publish_registers() == {"contracts": "unchanged", "mous": "unchanged", "disclosures": "unchanged"}
    assert contracts.versions.count() == versions
    published_contract(agency, 2, supplier_is_person=True, supplier_name="王大明", supplier_tax_id="")
    assert publish_registers()["contracts"] == "updated"
    contracts.refresh_from_db()
    assert contracts.versions.count() == versions + 1
    text = contracts.file.open("rb").read().decode("utf-8-sig")
    assert "開放資料測試契約 2" in text and "王大明" not in text and "王○明" in text


def test_the_csv_holds_exactly_the_public_rows_and_columns(personas):
    agency = Agency.objects.get(code="construction")
    published_contract(agency, 3, budget_amount=None)
    lines = register_csv("contracts").decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:4] == ["id", "ocid", "agency", "title"]
    assert len(lines) == 2
    row = lines[1].split(",")
    assert row[lines[0].split(",").index("budget_amount")] == ""  # hidden: empty, never 0
