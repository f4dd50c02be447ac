"""Importing a catalog export (`rdec import_opendata_catalog FILE`): Taichung's own platform export
(the bundled `data/taichung-catalog-2018-07.csv`) and the national portal's full-catalog CSV, whose
column names differ; any city's export with these headers loads the same way.

Columns (header row; either name of a pair; extra columns are ignored):
  資料集名稱 (required) · 資料集說明 | 資料集描述 (required) · 主要欄位說明 (required) · 更新頻率 (required)
  資料分類 | 服務分類 (required: code or name of the 18 categories; 交通資訊 is read as 交通及通訊)
  資料集提供機關 | 提供機關 (required: full or short agency name, e.g. 臺中市政府警察局, 運動局)
  計費方式 (免費/付費) · 授權說明網址 | 授權方式 · 資料集類型 | 資料提供屬性 · 資料量 · 資料集空間範圍 · 資料集語系
  關鍵字 | 標籤 · 備註 · 資料集連結網址 | 相關網址 · 資料集識別碼 · 上架日期 · 詮釋資料更新時間
  資料集提供機關聯絡人 | 提供機關聯絡人姓名 · …電話 · 提供機關聯絡人電子郵件
  檔案格式, 資料下載網址, 編碼格式 (national export: one resource per `;`-separated value)

- Encoding: UTF-8 (with or without BOM) or Big5 (cp950). Dates: ISO (2018-07-01) or ROC (107/07/01).
- **All or nothing.** Every row is checked first and each problem is reported as "row N, column X:
  what is wrong" (the header is row 1); if there is any error nothing is written. Otherwise all
  datasets are written in one transaction with bulk inserts.
- A row whose 資料集連結網址 (the source platform's address) or 資料集識別碼 is already in the
  catalog is an error, so a file cannot be imported twice.
- Text is normalised to Unicode NFC: exports converted from Big5 carry CJK compatibility
  ideographs (the 2018 file writes 老年安養 with U+F934 instead of U+8001).
- Export spellings are normalised (不定時 → 不定期, 每周 → 每週). 主要欄位說明 that does not follow the
  standard's syntax (most of the 2018 file: "序號、區域、地址") is kept as written and counted in
  the warnings: the agency has to correct it on its next edit, which validates it.
- Identifiers are the next serials of the agency's government agency code (機關代碼; the city's when
  the agency's own is not recorded) unless the file gives 資料集識別碼. The URL name is the source
  platform's dataset id (the last part of 資料集連結網址) when there is one.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.context import acting_as
from rdec.core.models import Agency
from rdec.core.spreadsheets import unquote_cell
from rdec.core.tabular import ImportFailed
from rdec.opendata import vocab
from rdec.opendata.identifiers import agency_code
from rdec.opendata.models import Dataset, Resource, ResourceVersion, Tag
from rdec.opendata.search import search_text

BUNDLED = Path(__file__).parent / "data" / "taichung-catalog-2018-07.csv"
BATCH = 500

# model field -> accepted column names
COLUMNS = {
    "title": ("資料集名稱",),
    "description": ("資料集說明", "資料集描述"),
    "field_description": ("主要欄位說明",),
    "update_frequency": ("更新頻率",),
    "category": ("資料分類", "服務分類"),
    "agency": ("資料集提供機關", "提供機關"),
    "cost": ("計費方式",),
    "license": ("授權說明網址", "授權方式"),
    "dataset_type": ("資料集類型", "資料提供屬性"),
    "number_of_data": ("資料量",),
    "spatial": ("資料集空間範圍",),
    "language": ("資料集語系",),
    "tags": ("關鍵字", "標籤"),
    "remarks": ("備註",),
    "landing_page": ("資料集連結網址", "相關網址"),
    "identifier": ("資料集識別碼",),
    "published_on": ("上架日期",),
    "metadata_modified": ("詮釋資料更新時間",),
    "contact_name": ("資料集提供機關聯絡人", "提供機關聯絡人姓名"),
    "contact_phone": ("資料集提供機關聯絡人電話", "提供機關聯絡人電話"),
    "contact_email": ("提供機關聯絡人電子郵件",),
    "res_format": ("檔案格式",),
    "res_url": ("資料下載網址",),
    "res_encoding": ("編碼格式",),
}
REQUIRED = ("title", "description", "field_description", "update_frequency", "category", "agency")
LICENSE_HOSTS = ("data.gov.tw", "opendata.taichung.gov.tw", "data.taichung.gov.tw")
LANGUAGES = {"中文": "zh-TW", "繁體中文": "zh-TW", "英文": "en", "zh-tw": "zh-TW", "en": "en"}


@dataclass
class ImportResult:
    datasets: int = 0
    resources: int = 0
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp950")


def parse_date(value: str) -> datetime.date:
    value = value.strip()
    match = re.fullmatch(r"(\d{2,3})[/.-](\d{1,2})[/.-](\d{1,2})(?:\s.*)?", value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return datetime.date(year + 1911, month, day)
    return datetime.date.fromisoformat(value[:10])


def _clean_text(value: str) -> str:
    return re.sub(r"[\r\n\t]+", " ", (value or "").replace("\\r\\n", " ").replace("\\n", " ")).strip()


class _Agencies:
    def __init__(self):
        self.by_name: dict[str, Agency] = {}
        for agency in Agency.objects.all():
            for name in (agency.name, agency.short_name, agency.code):
                self.by_name.setdefault(name, agency)

    def find(self, name: str) -> Agency | None:
        name = name.strip()
        return (
            self.by_name.get(name)
            or self.by_name.get(f"臺中市政府{name}")
            or self.by_name.get(name.replace("台中", "臺中"))
        )


def _license(value: str) -> str | None:
    value = value.strip()
    if not value:
        return vocab.License.OGDL_TW
    for choice, label in vocab.License.choices:
        if value in (choice, label) or value == vocab.LICENSE_URLS[choice]:
            return choice
    if any(host in value for host in LICENSE_HOSTS):
        return vocab.License.OGDL_TW
    return None


def _read(data: bytes) -> tuple[dict[str, str], list[tuple[int, dict]]]:
    reader = csv.DictReader(io.StringIO(decode(data)))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    columns = {}
    for key, names in COLUMNS.items():
        for name in names:
            if name in headers:
                columns[key] = name
                break
    # NFC: exports converted from Big5 carry CJK compatibility ideographs (U+F934 老 for U+8001 老)
    rows = [
        (
            number,
            {(k or "").strip(): unicodedata.normalize("NFC", unquote_cell(v or "")) for k, v in row.items()},
        )
        for number, row in enumerate(reader, start=2)
    ]
    return columns, rows


def _validate(columns, rows) -> tuple[list[dict], list[str], list[str]]:
    errors: list[str] = []
    warnings: list[str] = []
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in columns]
    if missing:
        return [], [_("The header has no column %(columns)s.") % {"columns": "、".join(missing)}], []
    agencies = _Agencies()
    seen_names: dict[str, int] = {}
    seen_pages: dict[str, int] = {}
    valid: list[dict] = []
    loose_fields = 0
    for line, row in rows:

        def err(key, message, line=line):
            errors.append(
                _("Row %(row)s, column %(column)s: %(message)s")
                % {"row": line, "column": columns.get(key, COLUMNS[key][0]), "message": message}
            )

        def get(key, row=row):
            return row.get(columns[key], "").strip() if key in columns else ""

        values: dict = {"line": line}
        for key in ("title", "description", "field_description"):
            values[key] = _clean_text(get(key))
            if not values[key]:
                err(key, _("This field is required."))
        if len(values["title"]) > 200:
            err("title", _("At most 200 characters."))
        if values["field_description"]:
            try:
                vocab.validate_field_description(values["field_description"])
            except Exception:  # noqa: BLE001 - legacy descriptions are kept and counted
                loose_fields += 1
        frequency = vocab.normalise_frequency(get("update_frequency"))
        try:
            vocab.validate_frequency(frequency)
            values["update_frequency"] = frequency
        except Exception as exc:  # noqa: BLE001
            err("update_frequency", " ".join(getattr(exc, "messages", [str(exc)])))
        category = vocab.category_from_name(get("category"))
        if category is None:
            err(
                "category",
                _("“%(value)s” is not one of the 18 service categories.") % {"value": get("category")},
            )
        values["category"] = category
        agency = agencies.find(get("agency"))
        if agency is None:
            err("agency", _("No agency is named “%(value)s”.") % {"value": get("agency")})
        elif agency_code(agency) is None:
            err(
                "agency",
                _("The agency has no government agency code (機關代碼); an administrator must record it."),
            )
        values["agency"] = agency
        cost = get("cost") or "免費"
        values["cost"] = {"免費": "free", "付費": "paid", "free": "free", "paid": "paid"}.get(cost)
        if values["cost"] is None:
            err("cost", _("Write 免費 or 付費."))
        values["license"] = _license(get("license"))
        if values["license"] is None:
            err("license", _("“%(value)s” is not a licence the portal accepts.") % {"value": get("license")})
        dataset_type = get("dataset_type") or "rawData"
        if dataset_type not in vocab.DatasetType.values:
            err("dataset_type", _("Write rawData, TOOLS or SERVICES."))
        values["dataset_type"] = dataset_type
        amount = get("number_of_data").replace(",", "")
        if amount and not amount.isdigit():
            err("number_of_data", _("Must be a whole number."))
        values["number_of_data"] = int(amount) if amount.isdigit() and int(amount) > 0 else None
        values["spatial"] = get("spatial")[:100]
        values["language"] = LANGUAGES.get(get("language"), "zh-TW")
        values["tags"] = [t.strip()[:60] for t in re.split(r"[,，、;；]", get("tags")) if t.strip()]
        values["remarks"] = get("remarks")
        page = get("landing_page")
        values["landing_page"] = page[:500]
        if page:
            if page in seen_pages:
                err("landing_page", _("Same as row %(row)s.") % {"row": seen_pages[page]})
            seen_pages[page] = line
        name = page.rstrip("/").rsplit("/", 1)[-1].lower() if page else ""
        values["name"] = name if re.fullmatch(r"[a-z0-9_-]{2,100}", name) else ""
        if values["name"]:
            if values["name"] in seen_names:
                err(
                    "landing_page", _("Same dataset id as row %(row)s.") % {"row": seen_names[values["name"]]}
                )
            seen_names[values["name"]] = line
        identifier = get("identifier")
        if identifier:
            try:
                vocab.validate_identifier(identifier)
            except Exception as exc:  # noqa: BLE001
                err("identifier", " ".join(getattr(exc, "messages", [str(exc)])))
        values["identifier"] = identifier
        for key in ("published_on", "metadata_modified"):
            raw = get(key)
            values[key] = None
            if raw:
                try:
                    values[key] = parse_date(raw)
                except ValueError:
                    err(key, _("Cannot read the date “%(value)s”.") % {"value": raw})
        values["contact_name"] = get("contact_name")[:60]
        values["contact_phone"] = get("contact_phone")[:30]
        values["contact_email"] = get("contact_email")[:254]
        formats = [f.strip().upper() for f in get("res_format").split(";")] if get("res_format") else []
        urls = [u.strip() for u in get("res_url").split(";")] if get("res_url") else []
        encodings = [e.strip().upper() for e in get("res_encoding").split(";")] if get("res_encoding") else []
        values["resources"] = [
            {
                "url": url[:1000],
                "format": (formats[i] if i < len(formats) else "")[:20],
                "encoding": (encodings[i] if i < len(encodings) else "UTF-8")[:20] or "UTF-8",
            }
            for i, url in enumerate(urls)
            if url
        ]
        valid.append(values)
    if loose_fields:
        warnings.append(
            _(
                "%(count)s datasets have a field description that does not follow the standard's syntax; it is kept as written."
            )
            % {"count": loose_fields}
        )
    missing_contacts = sum(1 for v in valid if not v["contact_email"])
    if missing_contacts:
        warnings.append(_("%(count)s datasets have no contact e-mail.") % {"count": missing_contacts})
    return valid, errors, warnings


def _existing(valid: list[dict]) -> list[str]:
    errors = []
    pages = {v["landing_page"]: v["line"] for v in valid if v["landing_page"]}
    for page in Dataset.objects.filter(landing_page__in=list(pages)).values_list("landing_page", flat=True):
        errors.append(
            _("Row %(row)s, column %(column)s: this dataset is already in the catalog.")
            % {"row": pages[page], "column": COLUMNS["landing_page"][0]}
        )
    names = {v["name"]: v["line"] for v in valid if v["name"]}
    for name in (
        Dataset.objects.filter(name__in=list(names))
        .exclude(landing_page__in=list(pages))
        .values_list("name", flat=True)
    ):
        errors.append(
            _("Row %(row)s, column %(column)s: this dataset is already in the catalog.")
            % {"row": names[name], "column": COLUMNS["landing_page"][0]}
        )
    identifiers = {v["identifier"]: v["line"] for v in valid if v["identifier"]}
    for identifier in Dataset.objects.filter(identifier__in=list(identifiers)).values_list(
        "identifier", flat=True
    ):
        errors.append(
            _("Row %(row)s, column %(column)s: this dataset is already in the catalog.")
            % {"row": identifiers[identifier], "column": COLUMNS["identifier"][0]}
        )
    return errors


def import_file(path: str | Path, *, actor=None, published_on: datetime.date | None = None) -> ImportResult:
    return import_bytes(Path(path).read_bytes(), actor=actor, published_on=published_on)


def import_bytes(data: bytes, *, actor=None, published_on: datetime.date | None = None) -> ImportResult:
    columns, rows = _read(data)
    valid, errors, warnings = _validate(columns, rows)
    if not errors:
        errors = _existing(valid)
    if errors:
        raise ImportFailed(errors)
    with acting_as(actor):
        result = _write(valid, actor, published_on or timezone.localdate())
    result.warnings = warnings
    return result


@transaction.atomic
def _write(valid: list[dict], actor, published_on: datetime.date) -> ImportResult:
    now = timezone.now()
    serials: dict[str, int] = {}
    given = {v["identifier"] for v in valid if v["identifier"]}
    datasets = []
    for values in valid:
        identifier = values["identifier"]
        if not identifier:
            code = agency_code(values["agency"])
            if code not in serials:
                taken = Dataset.objects.filter(identifier__startswith=f"{code}-").values_list(
                    "identifier", flat=True
                )
                serials[code] = max(
                    (int(i.rsplit("-", 1)[1]) for i in [*taken, *given] if i.startswith(code)), default=0
                )
            serials[code] += 1
            identifier = f"{code}-{serials[code]:06d}"
        modified = values["metadata_modified"]
        datasets.append(
            Dataset(
                agency=values["agency"],
                identifier=identifier,
                name=values["name"] or identifier.lower(),
                title=values["title"],
                description=values["description"],
                category=values["category"],
                field_description=values["field_description"],
                dataset_type=values["dataset_type"],
                license=values["license"],
                cost=values["cost"],
                update_frequency=values["update_frequency"],
                spatial=values["spatial"],
                language=values["language"],
                landing_page=values["landing_page"],
                number_of_data=values["number_of_data"],
                remarks=values["remarks"],
                contact_name=values["contact_name"],
                contact_phone=values["contact_phone"],
                contact_email=values["contact_email"],
                published_on=values["published_on"] or published_on,
                metadata_modified=(
                    timezone.make_aware(datetime.datetime.combine(modified, datetime.time(12)))
                    if modified
                    else now
                ),
                created_at=now,
                search_text=search_text(
                    values["title"], values["description"], " ".join(values["tags"]), values["agency"].name
                ),
            )
        )
    Dataset.objects.bulk_create(datasets, batch_size=BATCH)
    # bulk_create sets pks on PostgreSQL and SQLite >= 3.35; read them back by identifier to be sure
    ids = dict(
        Dataset.objects.filter(identifier__in=[d.identifier for d in datasets]).values_list(
            "identifier", "pk"
        )
    )
    for dataset in datasets:
        dataset.pk = ids[dataset.identifier]

    names = sorted({t for v in valid for t in v["tags"]})
    Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True, batch_size=BATCH)
    tag_ids = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    through = Dataset.tags.through
    through.objects.bulk_create(
        [
            through(dataset_id=d.pk, tag_id=tag_ids[t])
            for d, v in zip(datasets, valid, strict=True)
            for t in dict.fromkeys(v["tags"])
        ],
        batch_size=BATCH,
    )

    resources = [
        Resource(
            dataset_id=d.pk,
            number=i,
            description=f"{d.title} {r['format']}".strip()[:300],
            url=r["url"],
            format=r["format"],
            encoding=r["encoding"],
            modified_at=d.metadata_modified,
            created_at=now,
        )
        for d, v in zip(datasets, valid, strict=True)
        for i, r in enumerate(v["resources"], start=1)
    ]
    Resource.objects.bulk_create(resources, batch_size=BATCH)
    if resources:
        saved = Resource.objects.filter(dataset_id__in=[d.pk for d in datasets])
        ResourceVersion.objects.bulk_create(
            [
                ResourceVersion(
                    resource=r,
                    number=1,
                    url=r.url,
                    format=r.format,
                    encoding=r.encoding,
                    created_at=r.modified_at,
                )
                for r in saved
            ],
            batch_size=BATCH,
        )
    entries = [
        audit.event_entry("dataset.imported", datasets[start], count=len(datasets[start : start + BATCH]))
        for start in range(0, len(datasets), BATCH)
    ]
    audit.write_all(entries)
    return ImportResult(datasets=len(datasets), resources=len(resources))
