import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from rdec.transparency import pcc
from rdec.transparency.tests.pcc_samples import award_notice

# --- §1.5 case 1: ROC dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("114/03/05", datetime.date(2025, 3, 5)), ("99/12/31", datetime.date(2010, 12, 31))],
)
def test_it_reads_roc_dates(text, expected):
    assert pcc.parse_roc_date(text) == expected


@pytest.mark.parametrize("text", ["114/02/30", "2025-03-05", "114/13/01", "", "0/01/01", "一一四/03/05"])
def test_it_rejects_an_impossible_or_non_roc_date_naming_the_field(text):
    with pytest.raises(ValidationError) as info:
        pcc.parse_roc_date(text, key="決標資料:決標日期")
    assert list(info.value.error_dict) == ["決標資料:決標日期"]
    assert info.value.error_dict["決標資料:決標日期"][0].code == "invalid_date"


def test_a_notice_with_114_02_30_is_an_error_on_the_award_date():
    with pytest.raises(ValidationError) as info:
        pcc.parse_award(award_notice(**{"決標資料:決標日期": "114/02/30"}))
    assert "決標資料:決標日期" in info.value.error_dict


@given(
    st.dates(min_value=datetime.date(1912, 1, 1), max_value=datetime.date(2910, 12, 31))
)  # ROC years 1–999
def test_roc_date_round_trip(day):
    assert pcc.parse_roc_date(pcc.format_roc_date(day)) == day


# --- §1.5 case 2: amounts ----------------------------------------------------------------------------------


def test_case_2_award_budget_and_ratio():
    data = pcc.parse_award(
        award_notice(
            **{
                "決標資料:總決標金額": "4,788,000元",
                "決標資料:總決標金額是否公開": "是",
                "已公告資料:預算金額": "5,853,750元",
                "已公告資料:預算金額是否公開": None,
                "投標廠商:投標廠商2:決標金額": "4,788,000元",
            }
        )
    )
    assert data.award_amount == Decimal(4788000)
    assert data.budget_amount == Decimal(5853750)
    assert data.ratio == Decimal("0.8179")


def test_it_reads_an_amount_with_commas_and_yuan():
    assert pcc.parse_amount("4,788,000元", key="k") == Decimal(4788000)


@pytest.mark.parametrize("text", ["四百萬", "-5元", "1.5元", "12,3a4"])
def test_it_rejects_a_bad_amount_naming_the_field(text):
    with pytest.raises(ValidationError) as info:
        pcc.parse_award(award_notice(**{"決標資料:總決標金額": text}))
    assert info.value.error_dict["決標資料:總決標金額"][0].code == "invalid_amount"


def test_the_total_is_the_award_total_not_a_bidders_amount():
    data = pcc.parse_award(
        award_notice(**{"決標資料:總決標金額": "9,000,000元", "投標廠商:投標廠商2:決標金額": "4,788,000元"})
    )
    assert data.award_amount == Decimal(9000000)


# --- §1.5 case 3: not public -------------------------------------------------------------------------------


def test_case_3_budget_not_public_is_none():
    fields = {
        "已公告資料:預算金額是否公開": "否",
        "已公告資料:標案案號": "X1",
        "已公告資料:標案名稱": "t",
        "機關資料:機關名稱": "臺中市政府建設局",
        "決標資料:決標日期": "114/03/05",
    }
    data = pcc.parse_award(fields)
    assert data.budget_amount is None
    assert data.budget_amount != 0


def test_case_3_multi_line_no_is_not_public():
    assert pcc.parse_public_flag("否\n預算金額涉及商業機密", key="k") is False
    data = pcc.parse_award(
        award_notice(
            **{
                "已公告資料:預算金額是否公開": "否\n預算金額涉及商業機密",
                "已公告資料:預算金額": "5,853,750元",
            }
        )
    )
    assert data.budget_amount is None


def test_a_hidden_award_total_is_none_whatever_the_amount_says():
    data = pcc.parse_award(award_notice(**{"決標資料:總決標金額是否公開": "否"}))
    assert data.award_amount is None
    assert data.ratio is None


def test_the_public_flag_key_is_never_read_as_the_amount():
    """Only 「…是否公開」 given: no amount is read from it (the substring trap gave 「是」)."""
    data = pcc.parse_award(award_notice(**{"已公告資料:預算金額": None, "已公告資料:預算金額是否公開": "是"}))
    assert data.budget_amount is None


# --- §1.5 case 4: the winner -------------------------------------------------------------------------------


def test_case_4_the_supplier_is_the_bidder_who_won():
    data = pcc.parse_award(award_notice())
    assert data.bidders[0].name == "陳宏鈞土木包工業"
    assert data.bidders[0].winner is False
    assert data.supplier.number == 2
    assert data.supplier.name == "大里營造有限公司"
    assert data.supplier.code == "24567891"


def test_a_bidder_whose_code_is_not_a_business_id_is_a_person():
    data = pcc.parse_award(award_notice(**{"投標廠商:投標廠商2:廠商代碼": "A123456789"}))
    assert data.supplier.is_person
    assert not data.bidders[0].is_person


def test_every_problem_of_a_notice_is_reported_at_once():
    with pytest.raises(ValidationError) as info:
        pcc.parse_award(
            award_notice(
                **{
                    "決標資料:決標日期": "114/02/30",
                    "已公告資料:標案案號": "",
                    "投標廠商:投標廠商家數": "兩家",
                }
            )
        )
    assert set(info.value.error_dict) == {"決標資料:決標日期", "已公告資料:標案案號", "投標廠商:投標廠商家數"}


# --- files -------------------------------------------------------------------------------------------------


def test_it_reads_a_big5_csv_with_row_numbers():
    text = "已公告資料:標案案號,決標資料:決標日期\r\nA1,114/03/05\r\n,\r\nA2,114/03/06\r\n"
    notices = pcc.read_notices(text.encode("cp950"), "awards.csv")
    assert notices == [
        (2, {"已公告資料:標案案號": "A1", "決標資料:決標日期": "114/03/05"}),
        (4, {"已公告資料:標案案號": "A2", "決標資料:決標日期": "114/03/06"}),
    ]


def test_it_reads_the_pcc_api_shape_keeping_award_notices():
    body = (
        '{"records": [{"brief": {"type": "招標公告"}, "detail": {"已公告資料:標案案號": "A1"}},'
        ' {"brief": {"type": "決標公告"}, "detail": {"決標資料:決標日期": "114/03/05"}}]}'
    )
    assert pcc.read_notices(body.encode(), "t.json") == [(1, {"決標資料:決標日期": "114/03/05"})]
