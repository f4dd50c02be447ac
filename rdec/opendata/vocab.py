"""The national metadata standard's vocabularies and syntax rules (資料集詮釋資料標準規範, NDC 2015,
表-3; see docs/opendata.md), as validators that name the field in their zh-Hant message."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """服務分類 (categoryCode): the 18 service categories of the government portal."""

    BIRTH_HEALTH = "100", "生育保健"
    BIRTH_ADOPTION = "200", "出生及收養"
    EDUCATION = "300", "求學及進修"
    MILITARY = "400", "服兵役"
    EMPLOYMENT = "500", "求職及就業"
    BUSINESS = "600", "開創事業"
    MARRIAGE = "700", "婚姻"
    INVESTMENT = "800", "投資理財"
    LEISURE = "900", "休閒旅遊"
    TRANSPORT = "A00", "交通及通訊"
    MEDICAL = "B00", "就醫"
    HOUSING = "C00", "購屋及遷徙"
    ELECTIONS = "D00", "選舉及投票"
    SAFETY = "E00", "生活安全及品質"
    RETIREMENT = "F00", "退休"
    ELDERLY = "G00", "老年安養"
    FUNERAL = "H00", "生命禮儀"
    PUBLIC_INFO = "I00", "公共資訊"


# Names used by real exports for the same category (Taichung's 2018 catalog writes 交通資訊).
CATEGORY_ALIASES = {"交通資訊": Category.TRANSPORT, "交通": Category.TRANSPORT}


def category_from_name(name: str) -> str | None:
    name = unicodedata.normalize("NFC", (name or "").strip())
    for value, label in Category.choices:
        if name in (value, label):
            return value
    alias = CATEGORY_ALIASES.get(name)
    return alias.value if alias else None


class DatasetType(models.TextChoices):
    """資料集類型 (type)."""

    RAW_DATA = "rawData", _("Raw data")
    TOOLS = "TOOLS", _("Tools")
    SERVICES = "SERVICES", _("Services (including APIs)")


class Cost(models.TextChoices):
    """計費方式 (cost)."""

    FREE = "free", "免費"
    PAID = "paid", "付費"


class License(models.TextChoices):
    """授權方式 (license): the licences data.gov.tw accepts; the first is the default."""

    OGDL_TW = "ogdl-tw-1.0", "政府資料開放授權條款第1版"
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC0 = "cc0-1.0", "CC0 1.0"
    OFL = "ofl-1.1", "SIL Open Font License 1.1"


LICENSE_URLS = {
    License.OGDL_TW: "https://data.gov.tw/license",
    License.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    License.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    License.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    License.OFL: "https://openfontlicense.org/",
}

# 編碼格式 (characterSetCode) values seen on data.gov.tw; UTF-8 is preferred.
ENCODINGS = ["UTF-8", "BIG5", "UTF-16", "ASCII", "CP950", "GB2312", "ISO-8859-1"]

# 更新頻率 (accrualPeriodicity): 即時, 不定期, or 每[N]<unit>. "每15日或每2月" is not allowed.
FREQUENCY = re.compile(r"^(即時|不定期|每(?:[1-9]\d*)?(?:分鐘|小時|日|週|月|季|半年|年))$")
FREQUENCY_EXAMPLES = ["即時", "每日", "每週", "每月", "每季", "每年", "每5分鐘", "不定期"]
# How real exports spell the same frequencies.
FREQUENCY_ALIASES = {"不定時": "不定期", "每周": "每週", "每天": "每日", "隨時": "即時", "每1年": "每年"}


def normalise_frequency(value: str) -> str:
    value = (value or "").strip().replace(" ", "")
    return FREQUENCY_ALIASES.get(value, value)


def validate_frequency(value: str) -> None:
    if not FREQUENCY.match(value or ""):
        raise ValidationError(
            _(
                "“%(value)s” is not in the standard's vocabulary; write 即時, 不定期, "
                "or 每 plus an optional number and a unit (分鐘, 小時, 日, 週, 月, 季, 半年, 年), e.g. 每月."
            ),
            code="frequency",
            params={"value": value},
        )


# 資料集編號 (identifier): 機關代碼 (10 characters) - 流水號 (6 digits), e.g. A41000000G-000001.
IDENTIFIER = re.compile(r"^[0-9A-Z]{10}-\d{6}$")


def validate_identifier(value: str) -> None:
    if not IDENTIFIER.match(value or ""):
        raise ValidationError(
            _(
                "“%(value)s” must be the 10-character agency code, a hyphen and a "
                "6-digit serial number, e.g. A41000000G-000001."
            ),
            code="identifier",
            params={"value": value},
        )


# 主要欄位說明 (fieldDescription): items separated by 、, each 英文欄位(中文, 說明) or 中文欄位(說明).
FIELD_ITEM = re.compile(r"^[^()（）、,，]+[(（][^()（）]+[)）]$")


def split_field_description(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[、]", (text or "").strip()) if item.strip()]


def parse_field_description(text: str) -> list[dict]:
    """The declared fields: [{"name": "區域", "title": "", "description": "行政區"}, ...].

    `英文欄位(中文, 說明)` gives name, title and description; `中文欄位(說明)` gives name and description.
    Items that do not follow the syntax are returned with their whole text as the name."""
    fields = []
    for item in split_field_description(text):
        match = re.match(r"^([^()（）]+)[(（]([^()（）]*)[)）]$", item)
        if not match:
            fields.append({"name": item, "title": "", "description": ""})
            continue
        name, inside = match.group(1).strip(), match.group(2).strip()
        parts = [p.strip() for p in re.split(r"[,，]", inside, maxsplit=1)]
        if re.fullmatch(r"[A-Za-z0-9_ .\-]+", name) and len(parts) == 2:
            fields.append({"name": name, "title": parts[0], "description": parts[1]})
        else:
            fields.append({"name": name, "title": "", "description": inside})
    return fields


def validate_field_description(text: str) -> None:
    items = split_field_description(text)
    if not items:
        raise ValidationError(_("This field is required."), code="required")
    bad = [item for item in items if not FIELD_ITEM.match(item)]
    if bad:
        raise ValidationError(
            _(
                "Write each field as 英文欄位(中文, 說明) or 中文欄位(說明), separated "
                "by 、; these items do not follow it: %(items)s"
            ),
            code="field_description",
            params={"items": "、".join(bad[:5])},
        )


def named_errors(exc: ValidationError, model) -> ValidationError:
    """The same errors, each message prefixed with its field's name (主要欄位說明：…)."""
    if not hasattr(exc, "error_dict"):
        return exc
    named = {}
    for field, errors in exc.error_dict.items():
        try:
            label = str(model._meta.get_field(field).verbose_name)
        except Exception:  # noqa: BLE001 - a non-field key keeps its messages as they are
            label = ""
        messages = [m for e in errors for m in e.messages]
        named[field] = [
            _("%(field)s: %(message)s") % {"field": label, "message": m} if label else m for m in messages
        ]
    return ValidationError(named)


FREQUENCY_UNIT_DAYS = {
    "分鐘": 1 / 1440,
    "小時": 1 / 24,
    "日": 1,
    "週": 7,
    "月": 31,
    "季": 92,
    "半年": 183,
    "年": 366,
}


def frequency_days(value: str) -> float | None:
    """How many days may pass between updates under a 更新頻率: 每3月 → 93, 即時 → 1 (a live feed is
    expected to change at least daily), 不定期 → None (no promise)."""
    match = re.match(r"^每([1-9]\d*)?(分鐘|小時|日|週|月|季|半年|年)$", normalise_frequency(value))
    if value == "即時":
        return 1
    if not match:
        return None
    return int(match.group(1) or 1) * FREQUENCY_UNIT_DAYS[match.group(2)]
