"""Full-catalog downloads and the daily change list (異動清單) in the national portal's column format
(全部資料集清單, open-data.md §2.1-2.2): 22 columns in the portal's order, several resources in one
cell joined by `;`, CSV in UTF-8 with a byte-order mark; JSON is a list of objects with the same
keys. The change list adds 異動類型 (新增 / 修改 / 下架) as its first column — the portal's own change
list columns were not read [unconfirmed]. A download is re-importable by
`rdec import_opendata_catalog` (its column names are read there)."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from rdec.core import spreadsheets
from rdec.opendata import dcat, vocab
from rdec.opendata.models import Badge, Dataset, Resource

# The portal's full-catalog CSV header, in order; the duplicated 資 of 資資料集上架方式 is the
# portal's own spelling (kept so scripts written for it read this file too).
COLUMNS = [
    "資料集識別碼",
    "資料集名稱",
    "資料提供屬性",
    "服務分類",
    "品質檢測",
    "檔案格式",
    "資料下載網址",
    "編碼格式",
    "資資料集上架方式",
    "資料集描述",
    "主要欄位說明",
    "提供機關",
    "更新頻率",
    "授權方式",
    "相關網址",
    "計費方式",
    "提供機關聯絡人姓名",
    "提供機關聯絡人電話",
    "上架日期",
    "詮釋資料更新時間",
    "備註",
    "資料量",
]
CHANGE_COLUMN = "異動類型"
BADGE_LABELS = {Badge.GOLD: "金標章", Badge.SILVER: "銀標章", Badge.BRONZE: "銅標章", Badge.NONE: "無"}
# How the datasets reach the portal: this platform publishes them (機關發佈) [unconfirmed wording].
PUBLISH_MODE = "機關發佈"
ADDED, CHANGED, WITHDRAWN = "新增", "修改", "下架"


def catalog_queryset(qs: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return (
        qs.defer("search_text")
        .select_related("agency")
        .prefetch_related(
            Prefetch(
                "resources", queryset=Resource.objects.filter(state=Resource.State.ACTIVE).order_by("number")
            )
        )
        .order_by("identifier")
    )


def row(request, dataset: Dataset) -> dict[str, str]:
    resources = list(dataset.resources.all())
    local = timezone.localtime(dataset.metadata_modified)
    return {
        "資料集識別碼": dataset.identifier,
        "資料集名稱": dataset.title,
        "資料提供屬性": dataset.dataset_type,
        "服務分類": vocab.Category(dataset.category).label
        if dataset.category in vocab.Category.values
        else "",
        "品質檢測": BADGE_LABELS.get(dataset.quality_badge, "無"),
        "檔案格式": ";".join(r.format for r in resources),
        "資料下載網址": ";".join(dcat.download_url(request, r) for r in resources),
        "編碼格式": ";".join(r.encoding for r in resources),
        "資資料集上架方式": PUBLISH_MODE,
        "資料集描述": dataset.description,
        "主要欄位說明": dataset.field_description,
        "提供機關": dataset.agency.name,
        "更新頻率": dataset.update_frequency,
        "授權方式": dataset.get_license_display(),
        "相關網址": dataset.landing_page,
        "計費方式": dataset.get_cost_display(),
        "提供機關聯絡人姓名": dataset.contact_name,
        "提供機關聯絡人電話": dataset.contact_phone,
        "上架日期": dataset.published_on.isoformat(),
        "詮釋資料更新時間": local.strftime("%Y-%m-%d %H:%M:%S"),
        "備註": dataset.remarks,
        "資料量": "" if dataset.number_of_data is None else str(dataset.number_of_data),
    }


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def changes_on(qs: QuerySet[Dataset], day: datetime.date) -> QuerySet[Dataset]:
    """Datasets added, changed or withdrawn on `day` (local time): 上架日期 that day, or 詮釋資料更新時間
    that day. `qs` must include withdrawn datasets."""
    start, end = day_bounds(day)
    return qs.filter(Q(published_on=day) | Q(metadata_modified__gte=start, metadata_modified__lt=end))


def change_kind(dataset: Dataset, day: datetime.date) -> str:
    if dataset.state == Dataset.State.DELETED:
        return WITHDRAWN
    if dataset.published_on == day or timezone.localdate(dataset.created_at) == day:
        return ADDED
    return CHANGED


def to_csv(rows: list[dict], columns: list[str]) -> bytes:
    """The catalog as CSV through the shared writer (UTF-8 with BOM; text that starts like a
    formula is neutralised, since people open these lists in Excel too)."""
    return spreadsheets.to_csv(columns, ([row.get(c, "") for c in columns] for row in rows))
