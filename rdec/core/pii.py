"""One personal-data detector (個人資料偵測) for free text, used wherever free text leaves the hands of
the people entitled to it: public feeds and pages, non-handlers' views and exports, the audit trail
and the logs.

It finds, in any mix of half- and full-width characters and glued to Chinese text:

- Taiwanese phone numbers: mobiles (0933-222-111 in any grouping: spaces, dots, dashes,
  parentheses), landlines with an area code ((04)2222-1234, 04-22221234, 04 2222 1234), the
  international forms (+886 933 222 111, +886-4-2222-1234, 886933222111) and a local number without
  area code (2222-1234) right after 電話, 市話, tel and the like;
- national ID numbers (身分證字號, A123456789) and resident certificate numbers (居留證, old
  AB12345678 and new A812345678), upper or lower case, only when the check digit is right;
- e-mail addresses;
- a name introduced as 我是王大明, 我叫王大明, 本人王大明, 敝姓王, 姓名：王大明 (a common surname and
  one to three more characters);
- and the values given by the caller (the case's own petitioner: name, phone, e-mail) wherever
  they appear.

`mask_text()` replaces each with a readable mask (0933-***-111, 04-****-**34, A12****789,
w***@example.com, 王○明); `find()` lists what was found. House and floor numbers are the business
of the address masker (petitions.privacy.mask_address), not of this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MASK_CHAR = "○"

# Full-width ASCII (U+FF01–FF5E), the ideographic space and the dashes people type, each mapped to
# one ASCII character, so positions in the normalised text are positions in the original.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20})
_WIDTH.update(dict.fromkeys((0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE63), 0x2D))
_WIDTH.update({0xFE59: 0x28, 0xFE5A: 0x29})


def normalize(text: str) -> str:
    """The same text with full-width letters, digits and punctuation as ASCII (same length)."""
    return text.translate(_WIDTH)


# --- phone numbers -------------------------------------------------------------------------------

# A run of digits with at most a separator (space, dot, dash) and a parenthesis between two digits,
# optionally led by + or (. Atomic (possessive) so that no input can make it backtrack.
_RUN = re.compile(r"(?<![0-9])(?:\+[ ]?)?\(?[0-9](?:[ .\-]{0,2}\)?[ .\-]{0,2}\(?[0-9])*+\)?")
_GROUP = re.compile(r"[0-9]+")
MAX_GROUPS = 10  # a phone number is written in at most this many groups of digits
# A local number without area code is a phone only right after one of these words.
_PHONE_WORD = re.compile(
    r"(?:電話|市話|室話|家話|手機|行動|聯絡|連絡|專線|分機|號碼|撥打|致電|打|tel|phone|fax|傳真)"
    r"[^0-9\n]{0,6}$",
    re.IGNORECASE,
)
_THREE_DIGIT_AREAS = ("037", "049", "082", "089")
_FOUR_DIGIT_AREAS = ("0826", "0836")


def _area_length(digits: str) -> int:
    if digits[:4] in _FOUR_DIGIT_AREAS:
        return 4
    if digits[:3] in _THREE_DIGIT_AREAS:
        return 3
    return 2


def _domestic(digits: str) -> str | None:
    """'mobile' or 'landline' for a domestic number with its leading 0, else None."""
    if len(digits) == 10 and digits.startswith("09"):
        return "mobile"
    if digits[:1] == "0" and digits[1:2] in "2345678" and digits[1:2] and 9 <= len(digits) <= 10:
        return "landline"
    return None


def _mask_domestic(digits: str, kind: str) -> str:
    if kind == "mobile":
        return f"{digits[:4]}-***-{digits[-3:]}"
    area = _area_length(digits)
    return f"{digits[:area]}-****-**{digits[-2:]}"


def _classify(digits: str, plus: bool, after_word: bool, known: set[str]) -> str | None:
    """The mask of a phone number written with these digits, or None if it is not one."""
    if digits in known:
        kind = _domestic(digits) or ("mobile" if digits.startswith("9") else "landline")
        return _mask_domestic(digits if digits.startswith("0") else "0" + digits, kind)
    if digits.startswith("886") and (plus or 11 <= len(digits) <= 13):
        rest = digits[3:]
        rest = rest[1:] if rest.startswith("0") else rest
        if 8 <= len(rest) <= 9 and rest[0] in "23456789":
            kind = "mobile" if rest.startswith("9") and len(rest) == 9 else "landline"
            masked = _mask_domestic("0" + rest, kind)
            return "+886-" + masked[1:]
    kind = _domestic(digits)
    if kind:
        return _mask_domestic(digits, kind)
    if after_word and 7 <= len(digits) <= 8 and digits[0] in "23456789":
        return f"****-**{digits[-2:]}"
    return None


def _phones(norm: str, known: set[str]) -> list[tuple[int, int, str, str]]:
    found = []
    for run in _RUN.finditer(norm):
        groups = list(_GROUP.finditer(norm, run.start(), run.end()))
        plus = run.group(0).startswith("+")
        i = 0
        while i < len(groups):
            hit = None
            # the longest span of groups from i that is a phone number
            for j in range(min(len(groups) - 1, i + MAX_GROUPS - 1), i - 1, -1):
                digits = "".join(g.group(0) for g in groups[i : j + 1])
                if len(digits) > 13:
                    continue
                if len(digits) < 7:
                    break
                start = run.start() if i == 0 else groups[i].start()
                # keep the parenthesis of (04) with the number
                if i > 0 and norm[start - 1 : start] == "(":
                    start -= 1
                word = len(digits) <= 8 and bool(_PHONE_WORD.search(norm, max(0, start - 14), start))
                mask = _classify(digits, plus and i == 0, word, known)
                if mask:
                    end = groups[j].end()
                    hit = (start, end, "phone", mask, j)
                    break
            if hit:
                found.append(hit[:4])
                i = hit[4] + 1
            else:
                i += 1
    return found


# --- ID numbers ----------------------------------------------------------------------------------

_LETTER_CODES = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))
_ID = re.compile(r"(?<![0-9A-Za-z])([A-Za-z])([1289ABCDabcd])([0-9]{8})(?![0-9A-Za-z])")


def valid_id_number(value: str) -> bool:
    """A 身分證字號 or 居留證 number (old or new format) with a correct check digit."""
    value = normalize(value).upper()
    match = _ID.fullmatch(value)
    if not match:
        return False
    letter, second, rest = match.groups()
    code = _LETTER_CODES[letter]
    second_digit = _LETTER_CODES[second] % 10 if second.isalpha() else int(second)
    digits = [code // 10, code % 10, second_digit, *(int(d) for d in rest)]
    weights = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1]
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 10 == 0


def mask_id_number(value: str) -> str:
    return value[:3] + "*" * 4 + value[-3:]


def _ids(norm: str) -> list[tuple[int, int, str, str]]:
    return [
        (m.start(), m.end(), "id", mask_id_number(m.group(0).upper()))
        for m in _ID.finditer(norm)
        if valid_id_number(m.group(0))
    ]


# --- e-mail addresses ----------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,8}"
)


def mask_email(email: str) -> str:
    local, sep, domain = (email or "").partition("@")
    if not sep:
        return ""
    return f"{local[:1]}***@{domain}"


def _emails(norm: str, known: set[str]) -> list[tuple[int, int, str, str]]:
    found = [(m.start(), m.end(), "email", mask_email(m.group(0))) for m in _EMAIL.finditer(norm)]
    lowered = norm.lower()
    for email in known:
        start = lowered.find(email)
        while start >= 0:
            found.append((start, start + len(email), "email", mask_email(email)))
            start = lowered.find(email, start + 1)
    return found


# --- names ---------------------------------------------------------------------------------------

# The common surnames of Taiwan (內政部 姓名統計) and the compound ones.
_SURNAMES = set(
    "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯"
    "翁魏孫戴范方宋鄧杜傅侯曹薛丁卓阮馬董温温唐藍石蔣古紀姚連馮歐程湯黃田康姜白汪鄒尤巫鐘黎涂龔嚴"
    "韓袁金童陸夏柳凃邵錢伍倪溫于譚駱熊任甘秦顧毛章史官萬俞雷粘饒張闕凌崔尹孔辛武辜陶易段龍韋池葛褚孟麥殷"
)
_COMPOUND_SURNAMES = ("歐陽", "張簡", "范姜", "司馬", "諸葛", "上官", "司徒", "西門", "東方", "周黃")
_INTRO = re.compile(r"(?:我是|我叫|本人是?|敝姓|姓名是?[:：]?|名字是|我的名字是|我姓)[ ]?")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
# Characters that end a name: particles, verbs and words that follow a self-introduction.
_NAME_STOPS = set("的住在於是要想來向跟和與因為，。、電手打家里市區路街反陳請今昨剛有也就都從到被")
_TITLES = ("先生", "小姐", "太太", "女士", "阿姨", "伯伯", "老師", "議員", "里長")


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    if re.fullmatch(r"[A-Za-z .'-]+", name):
        return " ".join(part[0] + "***" for part in name.split())
    if len(name) == 1:
        return MASK_CHAR
    if len(name) == 2:
        return name[0] + MASK_CHAR
    return name[0] + MASK_CHAR * (len(name) - 2) + name[-1]


def _introduced_names(text: str) -> list[tuple[int, int, str, str]]:
    found = []
    for intro in _INTRO.finditer(text):
        start = intro.end()
        chunk = _CJK.match(text, start)
        if not chunk:
            continue
        word = chunk.group(0)[:4]
        if intro.group(0).startswith(("敝姓", "我姓")):
            continue  # 敝姓王: only a surname
        if word[:2] in _COMPOUND_SURNAMES:
            surname = 2
        elif word[:1] in _SURNAMES:
            surname = 1
        else:
            continue
        given = ""
        for ch in word[surname:]:
            if ch in _NAME_STOPS or len(given) == 2:
                break
            given += ch
        if any(word[surname:].startswith(t) for t in _TITLES):
            given = ""
        name = word[:surname] + given
        if len(name) < 2:
            continue
        found.append((start, start + len(name), "name", mask_name(name)))
    return found


def _known_names(text: str, names: set[str]) -> list[tuple[int, int, str, str]]:
    found = []
    for name in names:
        start = text.find(name)
        while start >= 0:
            found.append((start, start + len(name), "name", mask_name(name)))
            start = text.find(name, start + 1)
    return found


# --- the detector --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: str  # phone, id, email, name
    text: str  # as written
    mask: str


def find(
    text: str,
    *,
    names: Iterable[str] = (),
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
) -> list[Found]:
    """The personal data in `text`, in order, not overlapping. `names`, `phones` and `emails` are
    the values known to belong to someone in the text (the case's own petitioner)."""
    if not text:
        return []
    norm = normalize(text)
    known_phones = set()
    for phone in phones:
        digits = re.sub(r"[^0-9]", "", normalize(phone or ""))
        if len(digits) >= 7:
            known_phones.add(digits)
            if digits.startswith("886"):
                known_phones.add("0" + digits[3:].lstrip("0"))
    known_names = {n.strip() for n in names if n and len(n.strip()) >= 2}
    known_emails = {normalize(e).strip().lower() for e in emails if e and "@" in e}
    spans = (
        _emails(norm, known_emails)
        + _ids(norm)
        + _phones(norm, known_phones)
        + _known_names(text, known_names)
        + _introduced_names(text)
    )
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    result: list[Found] = []
    end = 0
    for start, stop, kind, mask in spans:
        if start < end:
            continue
        result.append(Found(start, stop, kind, text[start:stop], mask))
        end = stop
    return result


def mask_text(
    text: str,
    *,
    names: Iterable[str] = (),
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
) -> str:
    """`text` with every piece of personal data `find()` sees replaced by its mask."""
    if not text:
        return text or ""
    found = find(text, names=names, phones=phones, emails=emails)
    if not found:
        return text
    out, last = [], 0
    for item in found:
        out.append(text[last : item.start])
        out.append(item.mask)
        last = item.end
    out.append(text[last:])
    return "".join(out)


def contains_personal_data(text: str, **known) -> bool:
    return bool(find(text, **known))
