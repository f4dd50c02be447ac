import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from rdec.core.models import Agency
from rdec.tenders.tests.factories import tender
from rdec.transparency.models import AwardNotice, Contract
from rdec.transparency.services import contracts
from rdec.transparency.tests.pcc_samples import award_notice

pytestmark = pytest.mark.django_db

CONSTRUCTION = "臺中市政府建設局"


# --- the service -------------------------------------------------------------------------------------------


def test_it_creates_a_contract_from_a_notice():
    imported = contracts.import_award(award_notice())
    contract = Contract.objects.get()
    assert imported.contract_created and imported.notice_created
    assert contract.agency.name == CONSTRUCTION
    assert contract.ocid == f"{contracts.OCID_PREFIX}-3.76.47-1140305A01"
    assert contract.title == "北屯區道路改善工程"
    assert contract.award_date == datetime.date(2025, 3, 5)
    assert contract.award_amount == Decimal(4788000)
    assert contract.budget_amount == Decimal(5853750)
    assert contract.supplier_name == "大里營造有限公司"
    assert contract.supplier_tax_id == "24567891"
    assert contract.supplier_is_person is False
    assert contract.number_of_tenderers == 2
    assert contract.procurement_method == "公開招標"
    assert contract.status == Contract.Status.DRAFT
    assert imported.notice.tag == "award"


def test_the_ocid_prefix_is_the_setting_default():
    assert contracts.OCID_PREFIX == "ocds-tc1999"


def test_a_hidden_budget_is_stored_empty_not_zero():
    contracts.import_award(award_notice(**{"已公告資料:預算金額是否公開": "否\n預算金額涉及商業機密"}))
    assert Contract.objects.get().budget_amount is None


def test_the_same_notice_twice_creates_nothing_new():
    first = contracts.import_award(award_notice())
    again = contracts.import_award(award_notice())
    assert not again.notice_created and not again.contract_created
    assert again.notice == first.notice
    assert AwardNotice.objects.count() == 1


def test_empty_columns_and_spaces_do_not_make_another_notice():
    contracts.import_award(award_notice())
    again = contracts.import_award({**award_notice(" 1140305A01 "), "決標資料:底價金額": ""})
    assert not again.notice_created
    assert AwardNotice.objects.count() == 1


def test_a_changed_notice_of_the_same_case_updates_the_contract_as_award_update():
    first = contracts.import_award(award_notice())
    changed = contracts.import_award(award_notice(**{"決標資料:總決標金額": "4,700,000元"}))
    assert changed.contract == first.contract
    assert not changed.contract_created and changed.notice_created
    assert changed.notice.tag == "awardUpdate"
    assert Contract.objects.get().award_amount == Decimal(4700000)
    assert changed.notice.release_id != first.notice.release_id


def test_the_agency_is_matched_by_its_code():
    agency = Agency.objects.get(code="environment")
    agency.oid = "3.76.52"
    agency.save(update_fields=["oid"])
    contracts.import_award(award_notice(**{"機關資料:機關代碼": "3.76.52", "機關資料:機關名稱": "某機關"}))
    assert Contract.objects.get().agency == agency


def test_an_unknown_agency_is_an_error_on_the_agency_code():
    with pytest.raises(ValidationError) as info:
        contracts.import_award(
            award_notice(**{"機關資料:機關代碼": "9.99", "機關資料:機關名稱": "不存在機關"})
        )
    assert info.value.error_dict["機關資料:機關代碼"][0].code == "unknown_agency"
    assert not Contract.objects.exists()


def test_a_given_agency_wins_over_the_notice():
    agency = Agency.objects.get(code="environment")
    contracts.import_award(award_notice(**{"機關資料:機關名稱": "不存在機關"}), agency=agency)
    assert Contract.objects.get().agency == agency


def test_it_links_the_tender_with_the_same_case_number():
    linked = tender(number="1140305A01")
    contracts.import_award(award_notice())
    assert Contract.objects.get().tender == linked


def test_a_natural_person_supplier_is_marked_and_no_id_number_is_kept():
    contracts.import_award(
        award_notice(**{"投標廠商:投標廠商2:廠商代碼": "A123456789", "投標廠商:投標廠商2:廠商名稱": "王小明"})
    )
    contract = Contract.objects.get()
    assert contract.supplier_is_person is True
    assert contract.supplier_tax_id == ""
    assert "王小明" not in contract.search_text


def test_agency_staff_import_for_their_agency_only(personas):
    contracts.import_award(award_notice(), actor=personas.staff)
    with pytest.raises(PermissionDenied):
        contracts.import_award(award_notice(case="OTHER"), actor=personas.other_staff)
    assert Contract.objects.count() == 1


# --- the command -------------------------------------------------------------------------------------------


def _csv(rows: list[dict]) -> str:
    import csv

    header = list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_awards", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_big5_csv(tmp_path):
    path = tmp_path / "awards.csv"
    rows = [
        award_notice("A1"),
        award_notice("A2"),
        award_notice("A1", **{"決標資料:總決標金額": "4,000,000元"}),
    ]
    path.write_bytes(_csv(rows).encode("cp950"))
    with translation.override("en"):
        out, _err = _run(path)
    assert Contract.objects.count() == 2
    assert AwardNotice.objects.count() == 3
    assert out.startswith("imported: 2 contracts (2 new, 0 updated), 0 notices unchanged")
    assert sorted(AwardNotice.objects.values_list("tag", flat=True)) == ["award", "award", "awardUpdate"]


def test_the_command_reports_unchanged_and_updated_on_a_second_run(tmp_path):
    path = tmp_path / "awards.csv"
    path.write_text(_csv([award_notice("A1"), award_notice("A2")]), encoding="utf-8")
    _run(path)
    path.write_text(
        _csv([award_notice("A1"), award_notice("A2", **{"決標資料:總決標金額": "1,000元"})]), encoding="utf-8"
    )
    result = contracts.import_award_file(path.read_bytes(), "awards.csv")
    assert (len(result.new_contracts), len(result.updated_contracts), result.unchanged_notices) == (0, 1, 1)


def test_the_command_imports_a_json_list_under_a_given_agency(tmp_path):
    path = tmp_path / "awards.json"
    notices = [award_notice("J1", **{"機關資料:機關名稱": "不存在機關"}), award_notice("J2")]
    path.write_text(json.dumps(notices, ensure_ascii=False), encoding="utf-8")
    _run(path, "--agency", "environment")
    assert set(Contract.objects.values_list("agency__code", flat=True)) == {"environment"}


def test_the_command_imports_the_pcc_api_shape(tmp_path):
    path = tmp_path / "tender.json"
    body = {"records": [{"brief": {"type": "決標公告"}, "detail": award_notice("G1")}]}
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    _run(path)
    assert Contract.objects.get().pcc_case_number == "G1"


def test_a_bad_row_imports_nothing_and_names_row_and_column(tmp_path):
    path = tmp_path / "awards.csv"
    rows = [award_notice("A1"), award_notice("A2", **{"決標資料:決標日期": "114/02/30"}), award_notice("A3")]
    path.write_text(_csv(rows), encoding="utf-8")
    with pytest.raises(CommandError):
        _run(path)
    assert not Contract.objects.exists()
    assert not AwardNotice.objects.exists()


def test_the_errors_name_every_bad_row_and_its_field():
    rows = [
        (2, award_notice("A1")),
        (3, award_notice("A2", **{"決標資料:決標日期": "114/02/30"})),
        (4, award_notice("A3", **{"已公告資料:預算金額": "五百萬"})),
    ]
    with pytest.raises(contracts.AwardImportFailed) as info:
        contracts.import_awards(rows)
    assert len(info.value.errors) == 2
    assert "3" in info.value.errors[0] and "決標資料:決標日期" in info.value.errors[0]
    assert "4" in info.value.errors[1] and "已公告資料:預算金額" in info.value.errors[1]
    assert not Contract.objects.exists()


def test_a_bad_json_row_imports_nothing(tmp_path):
    path = tmp_path / "awards.json"
    path.write_text(json.dumps([award_notice("J1"), "not a notice"], ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError):
        _run(path)
    assert not Contract.objects.exists()


def test_an_unknown_agency_option_is_refused(tmp_path):
    path = tmp_path / "awards.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError):
        _run(path, "--agency", "nope")
