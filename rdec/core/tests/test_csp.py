"""Script injection defences: the Content-Security-Policy and Permissions-Policy headers on every
answer, templates without inline scripts or event handlers, our JavaScript without HTML sinks.

The attack itself (hostile strings in every free-text field, rendered in Chromium) is replayed by
tests/browser/test_xss.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

pytestmark = pytest.mark.django_db

RDEC = Path(__file__).resolve().parents[2]

PAGES = [
    "/",
    "/en/",
    "/agencies/",
    "/districts/",
    "/calendar/",
    "/accounts/login/",
    "/opendata/",
    "/api/docs/",
    "/api/v1/districts/",
    "/admin/login/",
    "/no-such-page/",
]


def directives(header: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_sends_a_csp_without_inline_scripts(client, path):
    response = client.get(path)
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


@pytest.mark.parametrize("path", ["/", "/api/docs/", "/api/v1/districts/"])
def test_every_answer_sends_a_permissions_policy(client, path):
    features = dict(f.strip().split("=", 1) for f in client.get(path)["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


def test_staff_pages_send_the_csp_too(client, personas):
    client.force_login(personas.staff)
    response = client.get("/petitions/inbox/")
    assert response.status_code == 200
    assert "'unsafe-inline'" not in directives(response["Content-Security-Policy"])["script-src"]


def _render_with_nonce(request):
    template = engines["django"].from_string('<script nonce="{{ CSP_NONCE }}">1</script>')
    return HttpResponse(template.render({}, request))


def test_a_template_that_uses_the_nonce_gets_a_fresh_one_in_the_header_each_request(settings):
    from csp.middleware import CSPMiddleware

    middleware = CSPMiddleware(_render_with_nonce)
    nonces = []
    for _ in range(2):
        request = RequestFactory().get("/")
        response = middleware(request)
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in directives(response["Content-Security-Policy"])["script-src"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    # a page that does not use it does not announce one
    plain = CSPMiddleware(lambda r: HttpResponse("x"))(RequestFactory().get("/"))
    assert "nonce-" not in plain["Content-Security-Policy"]


def test_swagger_ui_starts_from_a_script_file(client):
    page = client.get("/api/docs/").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts
    assert all("src=" in attrs and not body.strip() for attrs, body in scripts)
    setup = client.get("/api/docs/?script=")
    assert setup.status_code == 200
    assert setup["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in setup.content.decode()


# --- structural: no template or script of ours may reopen the hole -------------------------------

TEMPLATES = sorted(p for p in RDEC.rglob("templates/**/*.html"))
OUR_SCRIPTS = sorted(p for p in RDEC.glob("*/static/*/*.js") if "vendor" not in p.parts)
DATA_BLOCK = re.compile(r'type="application/(ld\+)?json"')


def test_the_scan_sees_the_templates_and_scripts():
    assert len(TEMPLATES) > 100
    assert {p.name for p in OUR_SCRIPTS} >= {"map.js", "hotspot_map.js", "rdec.js", "file_map.js"}


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(RDEC)))
def test_templates_have_no_inline_script_or_event_handler(path):
    text = path.read_text(encoding="utf-8")
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", text, re.S):
        if DATA_BLOCK.search(attrs):
            # JSON goes through json_script, or (schema.org JSON-LD) is escaped by its builder
            assert "|safe" not in body or body == "{{ schema_org|safe }}"
            continue
        assert "src=" in attrs and not body.strip(), f"inline script in {path.name}: {body[:80]}"
    handlers = re.findall(r"<[^>]*\son[a-z]+\s*=", text)
    assert not handlers, f"inline event handler in {path.name}: {handlers[:3]}"
    assert 'href="javascript:' not in text.lower()


# Leaflet's tooltips and popups take HTML when given a string: ours get a text node (asText).
LEAFLET_SINKS = re.compile(r"\.(bindTooltip|bindPopup|setTooltipContent|setPopupContent)\((?!asText\()")
HTML_SINKS = re.compile(r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write\(|\.html\(")


@pytest.mark.parametrize("path", OUR_SCRIPTS, ids=lambda p: str(p.relative_to(RDEC)))
def test_our_scripts_put_no_user_value_into_the_dom_as_html(path):
    text = path.read_text(encoding="utf-8")
    assert not HTML_SINKS.search(text)
    assert not LEAFLET_SINKS.search(text)
    assert "eval(" not in text and "new Function" not in text
