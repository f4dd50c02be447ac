"""Checking linked resources: files served by a local HTTP server (private addresses allowed as in
the demo), and private addresses refused as in production."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rdec.opendata import fetch, services
from rdec.opendata.tests.factories import CSV, publish

pytestmark = pytest.mark.django_db


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def files(tmp_path, settings):
    settings.RDEC_OPENDATA_FETCH_PRIVATE = True
    (tmp_path / "population.csv").write_bytes(CSV)
    (tmp_path / "population-big5.csv").write_bytes(CSV.decode().encode("cp950"))
    (tmp_path / "landing.html").write_text("<html><body>請至下載頁</body></html>", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _check(personas, url, **kwargs):
    dataset = publish(personas.staff)
    resource = services.add_resource(dataset, actor=personas.staff, description="連結", url=url, **kwargs)
    return services.check_resource_quality(resource, actor=None)


def test_a_linked_csv_is_fetched_and_checked(personas, files):
    result = _check(personas, files + "/population.csv", format="CSV")
    assert result.badge == "gold"
    assert result.rows == 2


def test_a_linked_big5_file_declared_utf8_is_caught(personas, files):
    result = _check(personas, files + "/population-big5.csv", format="CSV")
    assert result.encoding == "BIG5"
    assert result.indicators["encoding_match"] == 0


def test_a_landing_page_is_linkable_but_not_downloadable(personas, files):
    result = _check(personas, files + "/landing.html", format="CSV")
    assert result.indicators["linkable"] == 1
    assert result.indicators["downloadable"] == 0
    assert result.indicators["structure"] == 2
    assert result.badge == "none"


def test_a_missing_file_is_not_linkable(personas, files):
    result = _check(personas, files + "/gone.csv", format="CSV")
    assert result.indicators["linkable"] == 0
    assert result.messages[0]["code"] == "http-error"


def test_private_addresses_are_refused_in_production(personas, files, settings):
    settings.RDEC_OPENDATA_FETCH_PRIVATE = False
    result = _check(personas, files + "/population.csv", format="CSV")
    assert result.indicators["linkable"] == 0
    assert result.messages[0]["code"] == "refused"


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/a.csv", "file:///etc/passwd", "http://[::1]/a.csv", "http://10.0.0.1/a"]
)
def test_other_schemes_and_private_addresses_are_refused(settings, url):
    settings.RDEC_OPENDATA_FETCH_PRIVATE = False
    assert fetch.fetch(url).code == "refused"


def test_the_demo_may_fetch_its_own_stand_in_on_loopback_but_nothing_else_changes(files, settings):
    settings.RDEC_OPENDATA_FETCH_PRIVATE = False
    assert fetch.fetch(files + "/population.csv").code == "refused"
    allowed = fetch.fetch(files + "/population.csv", allow_private=True)
    assert (allowed.linkable, allowed.downloadable) == (1, 1)
    assert allowed.file.read() == CSV
    assert fetch.fetch("ftp://127.0.0.1/a.csv", allow_private=True).code == "refused"
