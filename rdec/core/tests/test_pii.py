"""The personal-data detector: every format of phone, ID number, e-mail and introduced name is
masked wherever it is written, and ordinary text (dates, case numbers, amounts) is left alone."""

import logging
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rdec.core import pii

WIDE = str.maketrans("0123456789()+-.@ ", "０１２３４５６７８９（）＋－．＠\u3000")

SEPARATORS = st.sampled_from(["", " ", "-", ".", "－", "  "])
CHINESE = st.text(alphabet="的路燈不亮請派人來處理謝謝市民反映巷口", max_size=8)
# Text around a number, glued or spaced, but never a digit right next to it.
BEFORE = st.one_of(CHINESE, st.sampled_from(["電話", "打", "手機：", "聯絡 ", "tel:", "（", "，", ""]))
AFTER = st.one_of(CHINESE, st.sampled_from(["給我", "。", "）", " 謝謝", ""]))


def _group(digits: str, cuts: list[int], seps: list[str]) -> str:
    """`digits` cut at the given places, joined by the given separators."""
    out, last = [], 0
    for cut, sep in zip(sorted(set(cuts)), seps, strict=False):
        out.append(digits[last:cut] + sep)
        last = cut
    out.append(digits[last:])
    return "".join(out)


@st.composite
def mobiles(draw):
    digits = "09" + draw(st.text(alphabet="0123456789", min_size=8, max_size=8))
    cuts = draw(st.lists(st.integers(1, 9), max_size=3))
    seps = draw(st.lists(SEPARATORS, min_size=3, max_size=3))
    written = _group(digits, cuts, seps)
    if draw(st.booleans()):
        written = f"({written[:4]}){written[4:]}" if written[:4].isdigit() else written
    return digits, written


@st.composite
def landlines(draw):
    area = draw(st.sampled_from(["02", "04", "03", "05", "06", "07", "08", "037", "049", "089"]))
    local = draw(st.sampled_from("2345678")) + draw(
        st.text(alphabet="0123456789", min_size=10 - len(area) - 1, max_size=10 - len(area) - 1)
    )
    sep = draw(st.sampled_from(["-", " ", "", ")"]))
    mid = draw(st.sampled_from(["", "-", " ", "."]))
    split = draw(st.integers(2, len(local) - 2))
    body = local[:split] + mid + local[split:]
    written = f"({area}){body}" if sep == ")" else f"{area}{sep}{body}"
    return area + local, written


@st.composite
def internationals(draw):
    rest = draw(
        st.one_of(
            st.text(alphabet="0123456789", min_size=8, max_size=8).map(lambda d: "9" + d),
            st.text(alphabet="0123456789", min_size=8, max_size=8).map(lambda d: "4" + d),
        )
    )
    form = draw(st.sampled_from(["+886 {a} {b} {c}", "+886-{a}-{b}-{c}", "886{a}{b}{c}", "+886{a}{b}{c}"]))
    written = form.format(a=rest[:3] if rest[0] == "9" else rest[:1], b="", c="")
    head = rest[:3] if rest[0] == "9" else rest[:1]
    tail = rest[len(head) :]
    sep = "" if "{a}{b}" in form else form[4]
    written = written.rstrip(" -") if sep else written
    written = (written + sep + tail[:4] + sep + tail[4:]) if sep else written + tail
    return rest, written


def _id_with_check(letter: str, body: str) -> str:
    """A valid ID number: the check digit computed for letter + body (second char + 7 digits)."""
    for check in "0123456789":
        if pii.valid_id_number(letter + body + check):
            return letter + body + check
    raise AssertionError("no check digit")


@st.composite
def id_numbers(draw):
    letter = draw(st.sampled_from("ABCDEFGHJKLMNPQRSTUVXYWZIO"))
    second = draw(st.sampled_from("12ABCD89"))
    value = _id_with_check(letter, second + draw(st.text(alphabet="0123456789", min_size=7, max_size=7)))
    return value, draw(st.sampled_from([value, value.lower(), value.translate(WIDE)]))


def _maybe_wide(draw, written: str) -> str:
    choice = draw(st.sampled_from(["half", "full", "mixed"]))
    if choice == "full":
        return written.translate(WIDE)
    if choice == "mixed":
        return "".join(ch.translate(WIDE) if i % 2 else ch for i, ch in enumerate(written))
    return written


def _digits(text: str) -> str:
    return re.sub(r"\D", "", pii.normalize(text))


def _assert_masked(digits: str, text: str, masked: str) -> None:
    assert digits not in _digits(masked), (text, masked)
    assert "***" in masked, (text, masked)


@settings(max_examples=300, deadline=None)
@given(mobiles(), BEFORE, AFTER, st.data())
def test_mobile_numbers_in_any_grouping_width_and_context_are_masked(mobile, before, after, data):
    digits, written = mobile
    written = _maybe_wide(data.draw, written)
    text = before + written + after
    masked = pii.mask_text(text)
    _assert_masked(digits, text, masked)
    if pii.normalize(written).replace("(", "").replace(")", "") == digits and not before.endswith("（"):
        assert masked == before + f"{digits[:4]}-***-{digits[-3:]}" + after


@settings(max_examples=300, deadline=None)
@given(landlines(), BEFORE, AFTER, st.data())
def test_landlines_with_area_codes_are_masked(landline, before, after, data):
    digits, written = landline
    text = before + _maybe_wide(data.draw, written) + after
    masked = pii.mask_text(text)
    _assert_masked(digits, text, masked)
    assert masked.endswith(digits[-2:] + after)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from("2345678"),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
    st.sampled_from(["電話", "市話：", "Tel ", "TEL:", "電話是", "聯絡電話 "]),
    st.sampled_from(["", "-", " ", "."]),
)
def test_local_numbers_after_a_phone_word_are_masked(first, rest, word, sep):
    local = first + rest
    text = f"我家{word}{local[:4]}{sep}{local[4:]}，謝謝"
    masked = pii.mask_text(text)
    assert local not in _digits(masked), (text, masked)


@settings(max_examples=200, deadline=None)
@given(internationals(), BEFORE, AFTER)
def test_international_forms_are_masked(international, before, after):
    rest, written = international
    text = before + written + after
    masked = pii.mask_text(text)
    assert rest not in _digits(masked), (text, masked)
    assert "+886-" in masked


@settings(max_examples=300, deadline=None)
@given(id_numbers(), BEFORE, AFTER)
def test_id_and_resident_certificate_numbers_are_masked(id_number, before, after):
    value, written = id_number
    masked = pii.mask_text(before + written + after)
    assert masked == before + value[:3] + "****" + value[-3:] + after


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from("ABCDEFGHJKLMNPQRSTUVXYWZIO"),
    st.sampled_from("12ABCD89"),
    st.text(alphabet="0123456789", min_size=8, max_size=8),
)
def test_codes_with_a_wrong_check_digit_are_left_alone(letter, second, digits):
    value = letter + second + digits
    if pii.valid_id_number(value):
        value = value[:-1] + str((int(value[-1]) + 1) % 10)
    assert not pii.valid_id_number(value)
    assert pii.mask_text(f"料號{value}") == f"料號{value}"


@settings(max_examples=200, deadline=None)
@given(
    st.from_regex(r"[a-z][a-z0-9._]{0,10}", fullmatch=True),
    st.sampled_from(["example.com", "mail.taichung.gov.tw", "gmail.com"]),
    BEFORE,
    AFTER,
    st.booleans(),
)
def test_email_addresses_glued_to_text_are_masked(local, domain, before, after, wide):
    email = f"{local}@{domain}"
    written = email.translate(WIDE) if wide else email
    masked = pii.mask_text(before + written + after)
    assert masked == before + f"{local[0]}***@{domain}" + after


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我是王大明，路燈壞了", "我是王○明，路燈壞了"),
        ("我叫陳小華。", "我叫陳○華。"),
        ("本人林志玲住在西屯區", "本人林○玲住在西屯區"),
        ("我叫歐陽大明", "我叫歐○○明"),
        ("姓名：張三", "姓名：張○"),
    ],
)
def test_a_name_given_in_the_text_is_masked(text, expected):
    assert pii.mask_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "我是住在西屯的居民，路燈不亮",
        "我是林先生",
        "本人於今日發現",
        "開會日期2026-12-07，115年12月7日，案號115-0001234，金額1,234,567元",
        "文號府授研字第1150012345號，統編12345678",
        "西屯區臺灣大道三段99號5樓，座標24.16,120.64",
        "訂單A123456788（檢查碼不符）",
        "版本 1.2.3.4，郵遞區號407",
    ],
)
def test_ordinary_text_is_not_mangled(text):
    assert pii.mask_text(text) == text


@settings(max_examples=200, deadline=None)
@given(
    st.dates().map(lambda d: d.isoformat()),
    st.integers(1, 150),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 10**9),
)
def test_dates_and_amounts_are_not_mangled(iso, year, month, day, amount):
    text = f"會勘{iso}，民國{year}年{month}月{day}日，經費{amount:,}元，共{amount}件"
    assert pii.mask_text(text) == text


def test_the_petitioners_own_values_are_masked_wherever_they_appear():
    text = "王大明表示他家電話22221234，信箱 Wang.D@Example.com"
    masked = pii.mask_text(text, names=["王大明"], phones=["04-2222-1234"], emails=["wang.d@example.com"])
    assert "王大明" not in masked and "22221234" not in _digits(masked)
    assert "Wang.D@" not in masked and masked.startswith("王○明")


def test_the_attack_text_is_fully_masked():
    text = "我是王大明，電話0933222111，(04)2222-1234，+886 912 345 678，０９３３２２２１１１，a123456789，wang@example.com"
    assert pii.mask_text(text) == (
        "我是王○明，電話0933-***-111，04-****-**34，+886-912-***-678，0933-***-111，A12****789，w***@example.com"
    )


def test_pathological_input_is_fast():
    import time

    text = ("0-" * 1000 + "(" * 500 + "9 " * 1000 + "a@" * 500 + "我是") * 2  # 8,000 characters
    started = time.perf_counter()
    pii.mask_text(text)
    assert time.perf_counter() - started < 2


def test_the_logging_filter_masks_messages_and_arguments():
    from rdec.core.logmask import PersonalDataFilter

    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "caller %s wrote %s", ("0933222111", "a@b.com"), None
    )
    assert PersonalDataFilter().filter(record)
    assert record.getMessage() == "caller 0933-***-111 wrote a***@b.com"


def test_request_lines_lose_their_query_strings_and_link_tokens():
    from rdec.core.logmask import PersonalDataFilter

    line = '"GET /petitions/console/caller/?petitioner_phone=0933222111 HTTP/1.1" %s %s'
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, line, ("200", "12"), None)
    PersonalDataFilter().filter(record)
    assert record.getMessage() == '"GET /petitions/console/caller/?… HTTP/1.1" 200 12'
    token = "eyJjIjoxMjN9:1vS0aB:abcdefghijklmnopqrstuvwxyz0123456789"
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, f'"GET /petitions/track/{token}/ HTTP/1.1"', (), None
    )
    PersonalDataFilter().filter(record)
    assert token not in record.getMessage() and "/petitions/track/eyJj…/" in record.getMessage()


def test_the_masked_console_backend_prints_no_address_and_no_working_link():
    import io

    from django.core import mail

    from rdec.core.mail import MaskedConsoleEmailBackend

    stream = io.StringIO()
    backend = MaskedConsoleEmailBackend(stream=stream)
    token = "eyJjIjoxMjN9:1vS0aB:abcdefghijklmnopqrstuvwxyz0123456789"
    message = mail.EmailMessage(
        "[受理] 您的陳情 115-0000001",
        f"王大明您好，請至 https://rdec.example/petitions/track/{token}/ 查詢；回電 0933222111",
        "noreply@example.com",
        ["王大明 <wang.daming@example.com>"],
    )
    backend.send_messages([message])
    out = stream.getvalue()
    assert "To: w***@example.com" in out
    for secret in ("wang.daming", "王大明", token, "0933222111"):
        assert secret not in out
    assert "/petitions/track/eyJj…/" in out
