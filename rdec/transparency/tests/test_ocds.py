"""OCDS 1.1 export (§1.5 case 5): one release per award notice, valid against the shipped 1.1 schemas."""

import datetime
import json

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from rdec.core.pii import mask_name
from rdec.transparency import ocds
from rdec.transparency.models import AwardNotice, Contract
from rdec.transparency.selectors_contracts import published_award_notices
from rdec.transparency.services import contracts
from rdec.transparency.tests.pcc_samples import award_notice

pytestmark = pytest.mark.django_db

URI = "https://example.org/transparency/ocds/releases.json"


def _publish(contract: Contract, **fields) -> None:
    contract.status = Contract.Status.PUBLISHED
    contract.published_at = datetime.datetime(2025, 3, 20, tzinfo=datetime.UTC)
    for name, value in fields.items():
        setattr(contract, name, value)
    contract.save()


def _package() -> dict:
    header = ocds.package_header(uri=URI, published=datetime.datetime(2025, 3, 20, tzinfo=datetime.UTC))
    return json.loads("".join(ocds.stream_package(header, published_award_notices())))


def _get(client):
    response = client.get(reverse("transparency:ocds-releases"))
    body = b"".join(response.streaming_content).decode("utf-8")
    return response, json.loads(body)


# --- case 5 --------------------------------------------------------------------------------------------------


def test_case_5_a_release_is_valid_against_the_11_release_schema():
    imported = contracts.import_award(award_notice())
    release = ocds.release(imported.notice)
    errors = sorted(ocds.release_validator().iter_errors(release), key=str)
    assert errors == []
    assert release["tag"] == ["award"]
    assert release["initiationType"] == "tender"


def test_case_5_the_package_is_valid_and_its_ref_resolves_locally():
    imported = contracts.import_award(award_notice())
    _publish(imported.contract)
    package = _package()
    assert list(ocds.package_validator().iter_errors(package)) == []
    assert package["version"] == "1.1"
    assert package["publisher"] == {"name": "臺中市政府"}


def test_the_package_validator_rejects_a_broken_release():
    package = {"version": "1.1", "releases": [{"ocid": "x", "id": "y", "tag": ["award"]}]}
    assert list(ocds.package_validator().iter_errors(package))  # date and initiationType missing


def test_case_5_the_ocid_is_stable_across_re_imports():
    first = contracts.import_award(award_notice())
    Contract.objects.all().delete()
    again = contracts.import_award(award_notice())
    assert ocds.release(again.notice)["ocid"] == first.contract.ocid


def test_case_5_the_same_notice_twice_gives_one_release():
    imported = contracts.import_award(award_notice())
    contracts.import_award(award_notice())
    _publish(imported.contract)
    assert [r["id"] for r in _package()["releases"]] == [imported.notice.release_id]


def test_case_5_an_amended_notice_is_an_award_update_of_the_same_ocid():
    first = contracts.import_award(award_notice())
    contracts.import_award(award_notice(**{"決標資料:總決標金額": "4,700,000元"}))
    _publish(first.contract)
    releases = _package()["releases"]
    assert [r["tag"] for r in releases] == [["award"], ["awardUpdate"]]
    assert {r["ocid"] for r in releases} == {first.contract.ocid}
    assert len({r["id"] for r in releases}) == 2
    assert [r["awards"][0]["value"]["amount"] for r in releases] == [4788000, 4700000]
    assert releases[0]["awards"][0]["id"] == releases[1]["awards"][0]["id"]


def test_the_release_carries_the_buyer_the_winner_and_the_public_amounts():
    release = ocds.release(contracts.import_award(award_notice()).notice)
    assert release["buyer"]["name"] == "臺中市政府建設局"
    roles = {p["name"]: p["roles"] for p in release["parties"]}
    assert roles["大里營造有限公司"] == ["tenderer", "supplier"]
    assert roles["陳宏鈞土木包工業"] == ["tenderer"]
    assert roles["臺中市政府建設局"] == ["buyer"]
    award = release["awards"][0]
    assert award["value"] == {"amount": 4788000, "currency": "TWD"}
    assert [s["name"] for s in award["suppliers"]] == ["大里營造有限公司"]
    assert release["tender"]["value"] == {"amount": 5853750, "currency": "TWD"}
    assert release["tender"]["procurementMethodDetails"] == "公開招標"
    assert "contracts" not in release


def test_hidden_amounts_have_no_value_at_all():
    notice = award_notice(
        **{"決標資料:總決標金額是否公開": "否", "已公告資料:預算金額是否公開": "否\n預算金額涉及商業機密"}
    )
    release = ocds.release(contracts.import_award(notice).notice)
    assert "value" not in release["awards"][0]
    assert "value" not in release["tender"]
    assert list(ocds.release_validator().iter_errors(release)) == []


def test_a_signed_contract_appears_in_contracts():
    imported = contracts.import_award(award_notice())
    _publish(
        imported.contract,
        signed_on=datetime.date(2025, 3, 12),
        term_start=datetime.date(2025, 3, 15),
        term_end=datetime.date(2025, 12, 31),
    )
    notice = AwardNotice.objects.select_related("contract__agency").get()
    release = ocds.release(notice)
    assert release["contracts"][0]["awardID"] == release["awards"][0]["id"]
    assert release["contracts"][0]["dateSigned"].startswith("2025-03-12")
    assert list(ocds.release_validator().iter_errors(release)) == []


# --- natural persons -------------------------------------------------------------------------------------------


def test_a_natural_person_supplier_is_never_named(client):
    notice = award_notice(
        **{"投標廠商:投標廠商2:廠商代碼": "A123456789", "投標廠商:投標廠商2:廠商名稱": "王小明"}
    )
    _publish(contracts.import_award(notice).contract)
    response, package = _get(client)
    text = json.dumps(package, ensure_ascii=False)
    assert "王小明" not in text
    assert "A123456789" not in text
    supplier = package["releases"][0]["awards"][0]["suppliers"][0]
    assert supplier["name"] == mask_name("王小明")
    assert list(ocds.package_validator().iter_errors(package)) == []


def test_a_supplier_marked_as_a_person_is_masked_even_with_a_business_id():
    imported = contracts.import_award(award_notice(**{"投標廠商:投標廠商2:廠商名稱": "林大同"}))
    _publish(imported.contract, supplier_is_person=True)
    text = json.dumps(_package(), ensure_ascii=False)
    assert "林大同" not in text
    assert "24567891" not in text


# --- the streamed view -------------------------------------------------------------------------------------------


def test_the_view_streams_valid_json(client):
    _publish(contracts.import_award(award_notice("A1")).contract)
    _publish(contracts.import_award(award_notice("A2")).contract)
    response, package = _get(client)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("application/json")
    assert len(package["releases"]) == 2
    assert package["uri"].endswith("/ocds/releases.json")
    assert list(ocds.package_validator().iter_errors(package)) == []


def test_unpublished_contracts_are_absent(client):
    _publish(contracts.import_award(award_notice("A1")).contract)
    contracts.import_award(award_notice("DRAFT1"))
    review = contracts.import_award(award_notice("REVIEW1")).contract
    review.status = Contract.Status.REVIEW
    review.save(update_fields=["status"])
    _response, package = _get(client)
    assert [r["tender"]["id"] for r in package["releases"]] == ["A1"]


def test_an_empty_register_is_an_empty_valid_package(client):
    _response, package = _get(client)
    assert package["releases"] == []
    assert list(ocds.package_validator().iter_errors(package)) == []


def test_the_view_reads_the_releases_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    # the time of the last change, the contracts, and their notices, amendments and documents (prefetched):
    # five queries however many contracts there are
    for cases in (("A1",), ("A2", "A3", "A4")):
        for case in cases:
            _publish(contracts.import_award(award_notice(case)).contract)
        with django_assert_max_num_queries(5):
            response = client.get(reverse("transparency:ocds-releases"))
            b"".join(response.streaming_content)


# --- contracts registered without a notice, and amendments ----------------------------------------------


def test_a_contract_registered_without_a_notice_and_its_amendments_are_releases_too(client, personas):
    from decimal import Decimal

    from rdec.transparency.models import ContractAmendment

    direct = Contract.objects.create(
        agency=personas.staff.agency,
        ocid="ocds-tc1999-construction-direct-0001",
        title="市民講座講師委託",
        supplier_name="王大明",
        supplier_is_person=True,
        award_amount=Decimal("120000"),
        signed_on=datetime.date(2025, 4, 1),
    )
    _publish(direct)
    ContractAmendment.objects.create(
        contract=direct,
        amended_on=datetime.date(2025, 5, 1),
        description="增加場次",
        award_amount=Decimal("150000"),
    )
    imported = contracts.import_award(award_notice("A1")).contract
    _publish(imported, signed_on=datetime.date(2025, 3, 20))
    ContractAmendment.objects.create(
        contract=imported, amended_on=datetime.date(2025, 6, 1), description="展延工期"
    )
    response, package = _get(client)
    assert list(ocds.package_validator().iter_errors(package)) == []
    by_tag = {}
    for r in package["releases"]:
        by_tag.setdefault(tuple(r["tag"]), []).append(r)
    (own,) = by_tag[("award", "contract")]
    assert own["ocid"] == direct.ocid
    assert own["contracts"][0]["value"] == {"amount": 120000, "currency": "TWD"}
    assert [p["name"] for p in own["parties"] if "supplier" in p["roles"]] == [mask_name("王大明")]
    assert "王大明" not in json.dumps(package, ensure_ascii=False)
    amendments = {r["ocid"]: r for r in by_tag[("contractAmendment",)]}
    assert set(amendments) == {direct.ocid, imported.ocid}
    changed = amendments[direct.ocid]["contracts"][0]
    assert changed["id"] == own["contracts"][0]["id"] and changed["value"]["amount"] == 150000
    assert changed["amendments"][0]["description"] == "增加場次"
    # the imported contract's amendment names the contract of its award notice's release
    (notice_release,) = [r for r in by_tag[("award",)] if r["ocid"] == imported.ocid]
    assert amendments[imported.ocid]["contracts"][0]["id"] == notice_release["contracts"][0]["id"]
