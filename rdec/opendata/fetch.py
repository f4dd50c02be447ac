"""Fetching a linked resource for the quality check, refusing addresses it must not reach.

- Only http and https, and only hosts in `RDEC_OPENDATA_FETCH_HOSTS` when that list is set. Every address the host name resolves to must be public: private, loopback,
  link-local, reserved and multicast addresses are refused (against SSRF), unless the setting
  `RDEC_OPENDATA_FETCH_PRIVATE` is true (the demo and the tests serve files from 127.0.0.1).
  Each redirect is checked the same way (at most 5). A name that resolves differently between the
  check and the connection (DNS rebinding) is a residual risk: run the checker where it cannot
  reach internal services.
- The body is streamed to a temporary file (in memory up to 1 MB) and cut at
  `RDEC_OPENDATA_FETCH_MAX_BYTES` (default 200 MB); the timeout is `RDEC_OPENDATA_FETCH_TIMEOUT`
  seconds (default 20).
- `linkable`: the address answers with a status below 400. `downloadable`: the answer is not an
  HTML page (a landing page is linkable but not downloadable, as on the national portal).
"""

from __future__ import annotations

import ipaddress
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from rdec.opendata.quality import FAIL, NOT_EVALUATED, PASS

USER_AGENT = "rdec-opendata-checker/1.0"
CHUNK = 64 * 1024


class Refused(Exception):
    pass


@dataclass
class Fetched:
    linkable: int
    downloadable: int
    message: str = ""
    code: str = ""
    file: object | None = None  # a binary file positioned at 0, when downloadable
    content_type: str = ""


def _setting(name: str, default):
    return getattr(settings, name, default)


def host_allowed(host: str) -> bool:
    """`RDEC_OPENDATA_FETCH_HOSTS`: the hosts the checker may fetch, as names (`data.gov.tw`) or
    suffixes (`.taichung.gov.tw` matches every host under it); empty = any (public) host."""
    allowed = [h.strip().lower() for h in _setting("RDEC_OPENDATA_FETCH_HOSTS", []) or [] if h.strip()]
    if not allowed:
        return True
    host = host.lower().rstrip(".")
    return any(host == h or (h.startswith(".") and host.endswith(h)) for h in allowed)


def check_address(url: str, *, allow_private: bool = False) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(_("Only http and https addresses are fetched."))
    if not host_allowed(parts.hostname):
        raise Refused(
            _("The host %(host)s is not among the hosts the checker may fetch.") % {"host": parts.hostname}
        )
    if allow_private or _setting("RDEC_OPENDATA_FETCH_PRIVATE", False):
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except OSError as exc:
        raise Refused(_("The host name cannot be resolved: %(error)s") % {"error": exc}) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            raise Refused(
                _("The address %(address)s is not public; it is not fetched.") % {"address": address}
            )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, allow_private: bool = False) -> Fetched:
    """`allow_private`: for the demo's own stand-in on 127.0.0.1 (redirects are still checked)."""
    try:
        check_address(url, allow_private=allow_private)
    except Refused as exc:
        return Fetched(FAIL, NOT_EVALUATED, str(exc), "refused")
    opener = urllib.request.build_opener(_CheckedRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - scheme checked above
    timeout = _setting("RDEC_OPENDATA_FETCH_TIMEOUT", 20)
    limit = _setting("RDEC_OPENDATA_FETCH_MAX_BYTES", 200 * 1024 * 1024)
    try:
        with opener.open(request, timeout=timeout) as response:
            content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type in ("text/html", "application/xhtml+xml"):
                return Fetched(
                    PASS,
                    FAIL,
                    _("The address answers with a web page, not a file: it cannot be downloaded directly."),
                    "not-downloadable",
                    content_type=content_type,
                )
            body = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 - returned to the caller
            size = 0
            while chunk := response.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    body.close()
                    return Fetched(
                        PASS,
                        FAIL,
                        _("The file is larger than %(limit)s bytes; it is not checked.") % {"limit": limit},
                        "too-large",
                    )
                body.write(chunk)
            body.seek(0)
            return Fetched(PASS, PASS, file=body, content_type=content_type)
    except Refused as exc:
        return Fetched(FAIL, NOT_EVALUATED, str(exc), "refused")
    except urllib.error.HTTPError as exc:
        return Fetched(
            FAIL, NOT_EVALUATED, _("The address answers %(status)s.") % {"status": exc.code}, "http-error"
        )
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Fetched(
            FAIL,
            NOT_EVALUATED,
            _("The address cannot be reached: %(error)s") % {"error": reason},
            "unreachable",
        )
