"""Demo content: Taichung's real catalog of July 2018 (1,136 datasets, bulk-imported), a few datasets
published this year with real CSV files (UTF-8 and Big5) by the demo agency accounts, and the
catalog grown to 3,200 datasets with checked resources of varied quality (demo_catalog.py).
Idempotent: a second run finds the catalog and does nothing."""

from __future__ import annotations

import datetime
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from rdec.core.context import acting_as
from rdec.core.models import User
from rdec.opendata import importer, services
from rdec.opendata.models import Badge, Dataset, Feedback

CATALOG_DATE = datetime.date(2018, 7, 1)

# (username, title, description, category, field description, frequency, tags, file name, encoding, csv text)
RECENT = [
    (
        "staff",
        "臺中市道路坑洞修補案件統計",
        "建設局每月受理之道路坑洞通報與修補完成件數，依行政區統計。",
        "A00",
        "month(月份, 民國年月)、district(行政區, 臺中市29區)、reported(通報件數, 件)、repaired(修補完成件數, 件)",
        "每月",
        ["道路", "坑洞", "養護"],
        "potholes.csv",
        "UTF-8",
        "month,district,reported,repaired\n115/01,北屯區,132,128\n115/01,西屯區,118,117\n115/02,北屯區,97,95\n",
    ),
    (
        "staff",
        "臺中市人行道改善工程位置",
        "建設局人行道改善工程之路段、長度與完工日期。",
        "E00",
        "路段(工程路段名稱)、長度(公尺)、完工日期(西元年月日)",
        "每季",
        ["人行道", "工程"],
        "sidewalks.csv",
        "UTF-8",
        "路段,長度,完工日期\n臺灣大道二段,850,2026-03-31\n公益路一段,420,2026-05-15\n",
    ),
    (
        "staff-env",
        "臺中市資源回收站點",
        "環保局資源回收站之名稱、地址與開放時間。",
        "E00",
        "站名(回收站名稱)、地址(站點地址)、開放時間(每日開放時段)、緯度(WGS84緯度)、經度(WGS84經度)",
        "不定期",
        ["資源回收", "環保"],
        "recycling.csv",
        "BIG5",
        "站名,地址,開放時間,緯度,經度\n"
        "文山回收站,臺中市南屯區文山里,08:00-17:00,24.1197,120.6175\n"
        "北屯回收站,臺中市北屯區旱溪西路,08:00-17:00,24.1820,120.7003\n"
        "大里回收站,臺中市大里區中興路,08:00-16:00,24.0991,120.6776\n",
    ),
]


def seed(stdout=None, *, size: int | None = None) -> int:
    """Seed the demo catalog; returns how many datasets were made (0 when the catalog exists)."""
    if Dataset.objects.exists():
        return 0
    started = time.monotonic()
    result = importer.import_file(importer.BUNDLED, published_on=CATALOG_DATE)
    made = result.datasets
    users = {u.username: u for u in User.objects.filter(username__in={r[0] for r in RECENT})}
    for username, title, description, category, fields, frequency, tags, filename, encoding, text in RECENT:
        user = users.get(username)
        if user is None or user.agency is None:
            continue
        with acting_as(user):
            dataset = services.publish_dataset(
                actor=user,
                agency=user.agency,
                title=title,
                description=description,
                category=category,
                field_description=fields,
                update_frequency=frequency,
                contact_name=user.display_name,
                contact_phone="04-22289111",
                contact_email="opendata@taichung.gov.tw",
                tags=tags,
            )
            content = text.encode("cp950" if encoding == "BIG5" else "utf-8")
            services.add_resource(
                dataset,
                actor=user,
                description=f"{title} CSV",
                upload=SimpleUploadedFile(filename, content, content_type="text/csv"),
                encoding=encoding,
                field_description=fields,
            )
        made += 1
    from rdec.opendata import demo_catalog, quality_run

    before = Dataset.objects.count()
    badges = demo_catalog.grow()
    made += Dataset.objects.count() - before
    _seed_voice()

    quality_run.take_snapshot()  # the quality dashboard's first day
    if stdout is not None:
        stdout.write(
            _(
                "Open data: %(count)s datasets (Taichung's catalog of July 2018 and those published since), "
                "badges %(badges)s, in %(seconds).1f s."
            )
            % {
                "count": f"{made:,}",
                "badges": "、".join(f"{dict(Badge.choices)[k]} {v:,}" for k, v in badges.items()),
                "seconds": time.monotonic() - started,
            }
        )
    return made


# (days ago, author, kind, dataset title or agency's user, topic, title, body, answer after N days or None, approve)
VOICE = [
    (
        12,
        "citizen",
        "comment",
        "臺中市道路坑洞修補案件統計",
        "content",
        "北屯區二月數字疑有誤",
        "北屯區 115/02 修補件數與區公所公告不同，請確認。",
        2,
        True,
    ),
    (
        20,
        "citizen",
        "request",
        "staff-env",
        "new_data",
        "請開放各資源回收站即時收受品項",
        "希望提供各回收站每日可收受的品項與容量，方便民眾規劃。",
        None,
        True,
    ),
    (
        9,
        "citizen",
        "request",
        "staff",
        "new_data",
        "請開放人行道改善工程預定路段",
        "希望提供明年度預定施工路段，以利規劃通學路線。",
        11,
        True,
    ),
    (
        1,
        "citizen",
        "comment",
        "臺中市資源回收站點",
        "encoding",
        "檔案編碼顯示亂碼",
        "用 Excel 開啟回收站點 CSV 出現亂碼，是否為 Big5 編碼？",
        None,
        False,
    ),
]


def _seed_voice() -> None:
    """Comments and data requests of the last weeks: answered on time, answered late, overdue and
    one awaiting RDEC's review, so the inbox and the statistics mean something."""
    import datetime as dt

    from django.utils import timezone

    from rdec.opendata import feedback as voice

    users = {
        u.username: u for u in User.objects.filter(username__in={"citizen", "rdec", "staff", "staff-env"})
    }
    if "citizen" not in users or Feedback.objects.exists():
        return
    now = timezone.now()
    for days, author, kind, target, topic, title, body, answer_after, approve in VOICE:
        user = users[author]
        if kind == "comment":
            dataset = Dataset.objects.filter(title=target).first()
            if dataset is None:
                continue
            values = {"dataset": dataset}
        else:
            if target not in users or users[target].agency is None:
                continue
            values = {"agency": users[target].agency}
        with acting_as(user):
            item = services.submit_feedback(
                actor=user, kind=kind, topic=topic, title=title, body=body, **values
            )
        submitted = now - dt.timedelta(days=days)
        item.created_at = submitted
        item.due_on = voice.due_date(timezone.localdate(submitted))
        item.save(update_fields=["created_at", "due_on"])
        if approve and "rdec" in users:
            with acting_as(users["rdec"]):
                services.moderate_feedback(item, actor=users["rdec"], decision="approved")
        if answer_after is not None:
            answerer = (
                users["staff"] if item.agency_id == users["staff"].agency_id else users.get("staff-env")
            )
            with acting_as(answerer):
                services.answer_feedback(item, actor=answerer, answer="謝謝您的意見，已查明並更新資料。")
            item.answered_at = submitted + dt.timedelta(days=answer_after)
            item.save(update_fields=["answered_at"])
