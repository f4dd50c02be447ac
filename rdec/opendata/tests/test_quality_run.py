"""The nightly quality run: bounded concurrency, per-host politeness, the hosts the checker may
fetch, agencies told of a lower badge, daily snapshots and the dashboard's trend."""

from __future__ import annotations

import datetime
import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.urls import reverse

from rdec.core.context import acting_as
from rdec.opendata import quality_run, selectors, services, tasks
from rdec.opendata.models import QualityCheck, QualitySnapshot
from rdec.opendata.tests.factories import CSV, csv_upload, publish

pytestmark = pytest.mark.django_db


class Recorder:
    """What the server saw: (host header, start, answered) per request, and the most at once."""

    def __init__(self, latency: float):
        self.latency = latency
        self.lock = threading.Lock()
        self.now = 0
        self.most = 0
        self.log: list[tuple[str, float, float]] = []


def _handler(recorder: Recorder):
    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            with recorder.lock:
                recorder.now += 1
                recorder.most = max(recorder.most, recorder.now)
            start = time.monotonic()
            time.sleep(recorder.latency)
            # the end as the latest moment before the client can have the answer: the client's own end
            # (from which the politeness delay runs) is after it, however late this thread runs on
            answered = time.monotonic()
            try:
                super().do_GET()
            finally:
                with recorder.lock:
                    recorder.now -= 1
                    recorder.log.append((self.headers.get("Host", "").split(":")[0], start, answered))

    return Handler


@pytest.fixture
def server(tmp_path, settings):
    settings.RDEC_OPENDATA_FETCH_PRIVATE = True  # the demo and the tests serve their own files
    (tmp_path / "good.csv").write_bytes(CSV)
    (tmp_path / "landing.html").write_text("<html><body>請至下載頁</body></html>", encoding="utf-8")
    recorder = Recorder(latency=0.05)
    httpd = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_handler(recorder), directory=str(tmp_path))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    port = httpd.server_address[1]
    yield tmp_path, recorder, port
    httpd.shutdown()
    httpd.server_close()


def _linked(personas, urls: list[str], **kwargs):
    dataset = publish(personas.staff, **kwargs)
    with acting_as(personas.staff):
        for url in urls:
            services.add_resource(dataset, actor=personas.staff, description="連結", url=url)
    return dataset


def test_the_run_checks_links_and_uploads_with_the_expected_badges(personas, server):
    _root, _recorder, port = server
    dataset = _linked(
        personas, [f"http://127.0.0.1:{port}/good.csv", f"http://127.0.0.1:{port}/landing.html"]
    )
    missing = _linked(personas, [f"http://127.0.0.1:{port}/missing.csv"], title="失效連結")
    with acting_as(personas.staff):
        services.add_resource(dataset, actor=personas.staff, description="上傳", upload=csv_upload())
    result = quality_run.run(delay=0, concurrency=2)
    assert result.checked == 4
    assert result.badges == {"gold": 2, "none": 2}  # good.csv and the upload; the web page and the 404
    dataset.refresh_from_db()
    missing.refresh_from_db()
    assert dataset.quality_badge == "none" and missing.quality_badge == "none"
    landing = QualityCheck.objects.get(resource__url__endswith="landing.html")
    assert (landing.indicators["linkable"], landing.indicators["downloadable"]) == (1, 0)


def test_concurrency_is_bounded_and_each_host_is_asked_one_at_a_time(personas, server):
    _root, recorder, port = server
    urls = [f"http://{host}:{port}/good.csv?{i}" for i in range(4) for host in ("127.0.0.1", "localhost")]
    _linked(personas, urls)
    quality_run.run(delay=0.1, concurrency=2)
    assert len(recorder.log) == 8
    assert recorder.most <= 2
    for host in ("127.0.0.1", "localhost"):
        times = sorted((start, end) for h, start, end in recorder.log if h == host)
        assert len(times) == 4
        # one at a time, and at least the delay (0.1 s, less the clock's slack) after the previous one
        gaps = [b[0] - a[1] for a, b in zip(times, times[1:], strict=False)]
        assert min(gaps) >= 0.09, gaps


def test_only_the_allowed_hosts_are_fetched(personas, server, settings):
    _root, recorder, port = server
    settings.RDEC_OPENDATA_FETCH_HOSTS = [".taichung.gov.tw", "data.gov.tw"]
    _linked(personas, [f"http://127.0.0.1:{port}/good.csv"])
    quality_run.run(delay=0)
    check = QualityCheck.objects.get()
    assert recorder.log == []
    assert check.indicators["linkable"] == 0 and "127.0.0.1" in check.messages[0]["message"]
    settings.RDEC_OPENDATA_FETCH_HOSTS = ["127.0.0.1"]
    quality_run.run(delay=0)
    assert QualityCheck.objects.order_by("-id").first().badge == "gold"


def test_loopback_is_refused_in_production(personas, server, settings):
    _root, recorder, port = server
    settings.RDEC_OPENDATA_FETCH_PRIVATE = False
    _linked(personas, [f"http://127.0.0.1:{port}/good.csv"])
    quality_run.run(delay=0)
    assert recorder.log == []
    assert QualityCheck.objects.get().indicators["linkable"] == 0


def test_agencies_are_told_once_of_a_lower_badge(personas, server):
    root, _recorder, port = server
    personas.staff.email = "staff@example.org"
    personas.staff.save()
    dataset = _linked(personas, [f"http://127.0.0.1:{port}/good.csv"])
    quality_run.run(delay=0)
    assert mail.outbox == []  # none -> gold is not lower
    (root / "good.csv").write_bytes(CSV.decode().encode("cp950"))  # now Big5, declared UTF-8
    result = quality_run.run(delay=0)
    dataset.refresh_from_db()
    assert dataset.quality_badge == "silver"
    assert result.notified == 1
    (message,) = mail.outbox
    assert message.to == ["staff@example.org"]
    assert dataset.identifier in message.body and "→" in message.body
    quality_run.run(delay=0)  # still silver: not lower again, no new mail
    assert len(mail.outbox) == 1


def test_snapshots_by_agency_and_the_dashboards_trend(client, personas, time_machine):
    """建設局 has two datasets; three days ago one was gold (50 %); today both are (100 %): +50."""
    today = datetime.date(2026, 4, 10)
    time_machine.move_to(datetime.datetime(2026, 4, 10, 12, tzinfo=datetime.UTC), tick=False)
    first = publish(personas.staff)
    second = publish(personas.staff, title="第二個資料集")
    with acting_as(personas.staff):
        for dataset in (first, second):
            services.add_resource(dataset, actor=personas.staff, description="上傳", upload=csv_upload())
    for resource in (first.resources.get(), second.resources.get()):
        services.check_resource_quality(resource, actor=None)
    QualitySnapshot.objects.create(
        agency=personas.staff.agency, day=today - datetime.timedelta(days=3), gold=1, none=1
    )
    assert quality_run.take_snapshot(today) == 1
    assert quality_run.take_snapshot(today) == 1  # replaced, not doubled
    snap = QualitySnapshot.objects.get(day=today)
    assert (snap.gold, snap.silver, snap.none, snap.total) == (2, 0, 0, 2)
    (row,) = selectors.quality_dashboard(30, today=today)
    assert (row["gold_pct"], row["change"], [p for _d, p in row["trend"]]) == (100.0, 50.0, [50.0, 100.0])
    page = client.get(reverse("opendata:quality-dashboard")).content.decode()
    assert 'data-change="50.0"' in page and "<polyline" in page


def test_the_nightly_job_reminds_checks_and_snapshots(personas, server):
    _root, _recorder, port = server
    _linked(personas, [f"http://127.0.0.1:{port}/good.csv"])
    summary = tasks.nightly()
    assert summary["checked"] == 1 and summary["badges"] == {"gold": 1} and summary["snapshots"] == 1


def test_a_single_resource_is_rerun_from_its_page(client, personas, server):
    _root, recorder, port = server
    dataset = _linked(personas, [f"http://127.0.0.1:{port}/good.csv"])
    client.force_login(personas.staff)
    response = client.post(reverse("opendata:resource-check", args=[dataset.resources.get().pk]))
    assert response.status_code == 302 and len(recorder.log) == 1
    assert QualityCheck.objects.get().badge == "gold"
