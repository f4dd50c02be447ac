"""gunicorn's access log (rdec/gunicorn_conf.py) keeps no query string, referrer or link token:
a caller's number looked up by GET, a search for a phone, a tracking link are not written."""

import datetime
import io
import logging
from types import SimpleNamespace

from gunicorn.config import Config

from rdec import gunicorn_conf

TOKEN = "eyJjIjoxMjN9:1vS0aB:abcdefghijklmnopqrstuvwxyz0123456789"


def _access_line(path: str, query: str, referer: str = "-") -> str:
    cfg = Config()
    for name in ("access_log_format", "accesslog", "logger_class"):
        cfg.set(name, getattr(gunicorn_conf, name))
    logger = gunicorn_conf.RdecAccessLogger(cfg)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.access_log.handlers = [handler]
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "test",
    }
    resp = SimpleNamespace(status="200 OK", sent=12, headers=[])
    req = SimpleNamespace(headers=[("REFERER", referer)])
    logger.access(resp, req, environ, datetime.timedelta(milliseconds=5))
    return stream.getvalue()


def test_the_access_log_has_no_query_string_or_referrer():
    line = _access_line(
        "/petitions/inbox/", "q=0933222111", referer="https://x.example/?petitioner_phone=0933222111"
    )
    assert '"GET /petitions/inbox/ HTTP/1.1" 200 12' in line
    assert "0933222111" not in line and "q=" not in line


def test_the_access_log_cuts_the_tokens_of_tracking_links():
    line = _access_line(f"/petitions/track/{TOKEN}/", "")
    assert TOKEN not in line and "/petitions/track/eyJj…/" in line
