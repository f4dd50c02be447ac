"""PCC award notices for the tests (keys as the g0v pcc API gives them)."""

from __future__ import annotations


def award_notice(case: str = "1140305A01", **changes) -> dict:
    """An award notice of 建設局 (matched by name): two bidders, the second wins; §1.5 case 2's amounts."""
    fields = {
        "機關資料:機關代碼": "3.76.47",
        "機關資料:機關名稱": "臺中市政府建設局",
        "已公告資料:標案案號": case,
        "已公告資料:標案名稱": "北屯區道路改善工程",
        "已公告資料:招標方式": "公開招標",
        "已公告資料:決標方式": "最低標",
        "已公告資料:預算金額是否公開": "是",
        "已公告資料:預算金額": "5,853,750元",
        "投標廠商:投標廠商家數": "2",
        "投標廠商:投標廠商1:廠商代碼": "12345670",
        "投標廠商:投標廠商1:廠商名稱": "陳宏鈞土木包工業",
        "投標廠商:投標廠商1:是否得標": "否",
        "投標廠商:投標廠商2:廠商代碼": "24567891",
        "投標廠商:投標廠商2:廠商名稱": "大里營造有限公司",
        "投標廠商:投標廠商2:是否得標": "是",
        "投標廠商:投標廠商2:決標金額": "4,788,000元",
        "決標資料:決標日期": "114/03/05",
        "決標資料:總決標金額是否公開": "是",
        "決標資料:總決標金額": "4,788,000元",
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}
