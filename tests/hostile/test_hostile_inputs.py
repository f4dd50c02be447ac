"""The hostile-input suite: every registered page and API, as four kinds of user, with hostile input.

What is enumerated (nothing here names a module's URL, so a new module is covered without new code):
- every route of the URL resolver (i18n patterns walked; the admin, static files and the DRF format
  suffix duplicates left out), its URL kwargs filled from a small dataset (`kwarg_values`: an object
  of the view's model for `pk`, the module's own numbers for `number`, ...);
- every operation of the committed OpenAPI description (docs/api/openapi.yaml): its query parameters
  and request-body fields get hostile values, PUT and PATCH are tried on every API path.

For each route and each user (anonymous, a citizen who is not the petitioner, staff of another
agency, staff of the agency handling the seeded case):
- GET plain, GET with hostile query strings (and the browsable API asked for HTML);
- POST with every form field found on the page (and every OpenAPI body field) set to hostile
  strings, and the same as JSON on API routes;
- for the anonymous visitor and the own agency's staff, who between them reach every view, also:
  a second round of values, 100,000-character values, PUT/PATCH/DELETE on API routes, and where the
  POST reaches the view (not 401/403/404/405 or a redirect to sign in) a body larger than
  DATA_UPLOAD_MAX_MEMORY_SIZE, malformed JSON, JSON of the wrong shape, the wrong content type, a
  multipart body without a boundary and a hostile upload file name; deeply nested JSON separately
  (`test_deeply_nested_json_is_refused`).

Asserted, all failures collected and reported together (URL, method, user):
- no 5xx (an exception raised by a view counts as a 5xx);
- a hostile string never comes back unescaped in an HTML answer;
- the seeded petitioner's name, phone and e-mail never reach the anonymous visitor, the citizen or the
  other agency's staff.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"

XSS = "<script>window.__xss=1</script>"
HOSTILE = [
    XSS,
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "' OR 1=1--",
    "{{7*7}}${7*7}",
    "%00",
    "a\x00b",
    "\u202eexe.pdf\u200b\u200d\ufeff",
    "../../../../etc/passwd",
    "-1",
    "99999999999999999999999999",
    "1e309",
    "2026-02-30",
    "０９３３２２２１１１",
]
LONG = "長" * 100_000
# unescaped in an HTML answer, these mean the hostile string was put into the page as markup
RAW_MARKERS = [b"<script>window.__xss", b"<svg onload="]
# query parameter names tried on every route, besides those the OpenAPI description lists
QUERY_NAMES = [
    "q", "page", "page_size", "sort", "order", "status", "agency", "category", "district", "village",
    "from", "to", "since", "until", "year", "month", "quarter", "week", "day", "date", "format", "fmt",
    "next", "type", "kind", "fq", "rows", "start", "limit", "offset", "id", "number", "code", "lat",
    "lon", "bbox", "phone", "name", "tag", "tags", "group", "res_format", "service_code", "start_date",
    "end_date", "service_request_id", "jurisdiction_id",
]  # fmt: skip
REFUSED = {401, 403, 404, 405}
PETITIONER = {"name": "詹姆士測試員", "phone": "0933-271-845", "email": "hostile.petitioner@example.org"}
PERSONAL = [
    PETITIONER["name"].encode(),
    PETITIONER["phone"].encode(),
    PETITIONER["phone"].replace("-", "").encode(),
    PETITIONER["email"].encode(),
]
USERS = ["anonymous", "citizen", "other_agency_staff", "own_agency_staff"]
DEEP = {"anonymous", "own_agency_staff"}  # who also gets the oversized and malformed bodies
NON_HANDLERS = {"anonymous", "citizen", "other_agency_staff"}


# ---------------------------------------------------------------------------------- enumeration


@dataclass
class Route:
    name: str  # namespaced, for reverse()
    pattern: str
    kwargs: list[str]
    app: str  # the app label of the view's module ("petitions", "core", ...)
    model: type | None  # the view's model, when the view says
    segments: dict[str, str] = field(default_factory=dict)  # kwarg -> the path segment before it

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith(("api/", "open311/"))


def _view_model(callback):
    for cls in (getattr(callback, "cls", None), getattr(callback, "view_class", None)):
        if cls is None:
            continue
        model = getattr(cls, "model", None)
        queryset = getattr(cls, "queryset", None)
        if model is None and queryset is not None:
            model = queryset.model
        if model is not None:
            return model
    return None


def _app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if parts[0] == "rdec" and len(parts) > 1 else parts[0]


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        text = str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            yield from _walk(entry.url_patterns, prefix + text, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + text, f"{namespace}{entry.name}" if entry.name else None, entry


@functools.cache
def routes() -> tuple[Route, ...]:
    found = []
    for pattern, name, entry in _walk(get_resolver().url_patterns):
        module = getattr(entry.callback, "__module__", "") or ""
        if name is None or name.startswith("admin:") or module.startswith("django.contrib.admin"):
            continue
        if "(?P<format>" in pattern or "<drf_format_suffix" in pattern or pattern.startswith("static"):
            continue  # DRF's ".json" duplicates of routes enumerated anyway
        names = []
        for match in re.finditer(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", pattern):
            names.append(match.group(1) or match.group(2))
        segments = {}
        for match in re.finditer(r"([A-Za-z_-]+)/(?:\^)?(?:<(?:\w+:)?(\w+)>|\(\?P<(\w+)>)", pattern):
            segments[match.group(2) or match.group(3)] = match.group(1)
        found.append(
            Route(
                name=name,
                pattern=pattern,
                kwargs=list(dict.fromkeys(names)),
                app=_app_of(module),
                model=_view_model(entry.callback),
                segments=segments,
            )
        )
    return tuple(found)


def _resolve_ref(spec, node):
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


@functools.cache
def openapi_operations() -> dict[str, dict]:
    """path template -> {"methods": {...}, "query": [names], "body": [field names]} from the committed
    OpenAPI description."""
    spec = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    found = {}
    for path, item in spec["paths"].items():
        entry = found.setdefault(path, {"methods": set(), "query": set(), "body": set()})
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            entry["methods"].add(method)
            for parameter in operation.get("parameters", []):
                parameter = _resolve_ref(spec, parameter)
                if parameter.get("in") == "query":
                    entry["query"].add(parameter["name"])
            content = (operation.get("requestBody") or {}).get("content", {})
            for media in content.values():
                schema = _resolve_ref(spec, media.get("schema", {}))
                for one in schema.get("allOf", []) + schema.get("oneOf", []) + [schema]:
                    entry["body"].update(_resolve_ref(spec, one).get("properties", {}))
    return found


def _spec_entry(url: str) -> dict | None:
    for template, entry in openapi_operations().items():
        regex = "^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(regex, url):
            return entry
    return None


# ---------------------------------------------------------------------------------- the dataset


@dataclass
class Dataset:
    users: dict
    values: dict  # (app or "", kwarg) -> [values]
    api_key: str


def _first_pk(model) -> list:
    try:
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    except Exception:  # noqa: BLE001 - an abstract or unmanaged model: no value from it
        return []
    return [pk] if pk is not None else []


def _model_for_segment(app: str, segment: str):
    """The model of `app` the path segment before a `pk` names ("meetings" -> Meeting, "kb" ->
    Article is not guessable: the app's first model with rows is the fallback)."""
    if not segment:
        return None
    words = {segment.lower().replace("-", "").replace("_", "")}
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
        if segment.endswith(suffix):
            words.add(segment[: -len(suffix)].lower().replace("-", "") + replacement)
    try:
        models = apps.get_app_config(app).get_models()
    except LookupError:
        return None
    for model in models:
        names = {model.__name__.lower(), str(model._meta.verbose_name_plural).lower().replace(" ", "")}
        if words & names or any(n.endswith(w) for n in names for w in words if len(w) > 3):
            return model
    return None


def kwarg_candidates(route: Route, data: Dataset, kwarg: str) -> list:
    found = list(data.values.get((route.app, kwarg), [])) or list(data.values.get(("", kwarg), []))
    if found:
        return found
    if kwarg in {"pk", "id"} or kwarg.endswith("_pk"):
        model = route.model if kwarg in {"pk", "id"} and route.model else None
        model = model or _model_for_segment(route.app, route.segments.get(kwarg, ""))
        if model is not None and (values := _first_pk(model)):
            return values
        return [1]
    return ["1"]


def urls_for(route: Route, data: Dataset) -> list[str]:
    """The route's URLs with its kwargs filled (several for kwargs with several values, e.g. formats);
    a route whose kwargs cannot be filled gives one URL built from the pattern with "1"."""
    choices = [kwarg_candidates(route, data, k) for k in route.kwargs]
    made = []
    for combo in itertools.islice(itertools.product(*choices), 6):
        try:
            made.append(reverse(route.name, kwargs=dict(zip(route.kwargs, combo, strict=True))))
        except NoReverseMatch:
            continue
    return made


@pytest.fixture
def dataset(personas, settings):
    """A small dataset: one case of every kind a page can show, filed with a recognisable petitioner."""
    from rdec.core.services import create_api_key
    from rdec.opendata.tests import factories as opendata
    from rdec.petitions.tests import factories as petitions
    from rdec.tenders.tests import factories as tenders
    from rdec.tracking.tests import factories as tracking

    settings.CELERY_TASK_ALWAYS_EAGER = False
    case, code = petitions.file(
        None,
        petitioner_name=PETITIONER["name"],
        petitioner_phone=PETITIONER["phone"],
        petitioner_email=PETITIONER["email"],
    )
    meeting = tracking.mobile_meeting(personas.officer)
    item = tracking.item(personas.officer)
    published = opendata.publish(personas.staff)
    tender = tenders.tender("construction")
    _key, raw = create_api_key(name="hostile-suite", agency=None, actor=None)
    values = {
        ("petitions", "number"): [case.number],
        ("analytics", "number"): [case.number],
        ("", "number"): [case.number],
        ("petitions", "token"): [code],
        ("", "token"): [code],
        ("tracking", "number"): [item.number],
        ("tenders", "number"): [tender.number],
        ("", "name"): [published.name],
        ("opendata", "key"): [published.name],
        ("", "fmt"): ["json", "xml", "xlsx", "csv", "ttl", "pdf"],
        ("", "action"): ["package_search", "package_show", "package_create", "resource_create"],
        ("core", "code"): ["construction", "66000010"],
        ("", "code"): ["construction", "pothole"],
        ("", "year"): [2026],
        ("", "window"): [1],
        ("", "issue"): [1],
        ("", "rest"): ["nothing.json"],
        ("tracking", "pk"): [meeting.pk],
    }
    users = {"anonymous": None, "citizen": personas.citizen}
    users["other_agency_staff"] = personas.other_staff
    users["own_agency_staff"] = personas.staff
    assert case.agency.code == personas.staff.agency.code, "the seeded case must be the own agency's"
    return Dataset(users=users, values=values, api_key=raw)


# ---------------------------------------------------------------------------------- the checks


@dataclass
class Findings:
    user: str
    problems: list[str] = field(default_factory=list)
    requests: int = 0

    def add(self, kind, method, url, detail):
        self.problems.append(f"{kind}: {method} {url[:160]} as {self.user}: {detail}")


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _send(client, findings, method, url, **extra):
    """One request in a savepoint (a database error must not end the test's transaction); an
    exception raised by the view is a 5xx."""
    findings.requests += 1
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, **extra)
    except Exception as error:  # noqa: BLE001 - every unhandled error is a finding
        findings.add("5xx", method.upper(), url, f"{type(error).__name__}: {str(error)[:200]}")
        return None
    body = _body(response)
    if response.status_code >= 500:
        findings.add("5xx", method.upper(), url, f"{response.status_code} {body[:200]!r}")
    if "text/html" in response.get("Content-Type", ""):
        for marker in RAW_MARKERS:
            if marker in body:
                at = body.find(marker)
                findings.add("unescaped", method.upper(), url, repr(body[max(0, at - 80) : at + 60]))
    if findings.user in NON_HANDLERS:
        for value in PERSONAL:
            if value in body:
                findings.add("personal data", method.upper(), url, value.decode())
    response.body = body
    return response


FORM_FIELD = re.compile(rb"<(?:input|textarea|select)\b[^>]*\bname=\"([^\"]+)\"", re.I)


def _fields(response) -> list[str]:
    if response is None or "text/html" not in response.get("Content-Type", ""):
        return []
    names = {m.decode() for m in FORM_FIELD.findall(response.body)}
    return sorted(names - {"csrfmiddlewaretoken"})


def _hostile(names, offset=0) -> dict:
    return {name: HOSTILE[(i + offset) % len(HOSTILE)] for i, name in enumerate(names)}


def _reached(response) -> bool:
    """The user's POST reached the view's input handling (not refused before it)."""
    if response is None:
        return True
    if response.status_code in REFUSED:
        return False
    return not (response.status_code == 302 and "login" in response.get("Location", ""))


def exercise(client: Client, findings: Findings, url: str, route: Route, data: Dataset, deep: bool) -> None:
    """The requests of one URL; `deep` adds the second round of values, the 100,000-character
    values, PUT/PATCH/DELETE and (where the POST reaches the view) the oversized and malformed
    bodies — for the anonymous visitor and the own agency's staff, who between them reach every
    view; the citizen and the other agency's staff get the first round (the personal-data checks
    are on every answer)."""
    spec = _spec_entry(url) if route.is_api else None
    query_names = QUERY_NAMES + sorted(spec["query"]) if spec else QUERY_NAMES
    plain = _send(client, findings, "get", url)
    _send(client, findings, "get", f"{url}?{urlencode(_hostile(query_names))}")
    if route.is_api:
        _send(client, findings, "get", f"{url}?{urlencode(_hostile(query_names))}", HTTP_ACCEPT="text/html")
    names = set(_fields(plain)) | set(spec["body"] if spec else ())
    names |= {"subject", "description", "title", "body", "text", "note", "reason", "name", "comment"}
    form = _hostile(sorted(names)) | {"api_key": data.api_key}
    posted = _send(client, findings, "post", url, data=form)
    if route.is_api:
        body = _hostile(sorted(names), offset=1)
        _send(client, findings, "post", url, data=body, content_type="application/json")
    if not deep:
        return
    _send(client, findings, "get", f"{url}?{urlencode(_hostile(query_names, offset=3))}")
    _send(client, findings, "get", f"{url}?{urlencode(dict.fromkeys(query_names[:6], LONG[:3000]))}")
    _send(client, findings, "post", url, data=dict.fromkeys(names, LONG) | {"api_key": data.api_key})
    if route.is_api:
        for method in ("put", "patch", "delete"):
            _send(client, findings, method, url, data=body, content_type="application/json")
    if not _reached(posted):
        return
    # the user reaches the view's input handling: oversized, malformed and mistyped bodies
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    _send(client, findings, "post", url, data={"description": big, "api_key": data.api_key})
    _send(
        client, findings, "post", url, data=json.dumps({"description": big}), content_type="application/json"
    )
    _send(
        client,
        findings,
        "post",
        url,
        data='{"subject": "x", "description": [1, 2,',
        content_type="application/json",
    )
    for shape in ([XSS], None, {n: {"a": [XSS, None, 1e308]} for n in names}):
        _send(client, findings, "post", url, data=json.dumps(shape), content_type="application/json")
    _send(client, findings, "post", url, data="subject=" + XSS, content_type="text/plain")
    _send(client, findings, "post", url, data=form, content_type="multipart/form-data; boundary=")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile('"><svg onload=alert(1)>.csv', XSS.encode(), content_type="text/csv")
    _send(client, findings, "post", url, data=form | {"file": upload, "upload": upload, "attachment": upload})  # fmt: skip


def _client_for(user, data: Dataset) -> Client:
    client = Client(raise_request_exception=True)
    if user is not None:
        client.force_login(user)
    return client


def _report(findings: Findings) -> str:
    problems = list(dict.fromkeys(findings.problems))
    head = f"{len(problems)} finding(s) in {findings.requests} requests as {findings.user}:\n"
    return head + "\n".join(problems[:200])


# ---------------------------------------------------------------------------------- the tests


def test_the_enumeration_covers_every_module_and_the_openapi_description():
    """Every app with URLs is in the enumeration, and every OpenAPI path is a route of the resolver
    (so the suite's two sources agree and a new module's URLs are enumerated without new code)."""
    found = routes()
    apps_with_routes = {route.app for route in found}
    from rdec.core.registry import module_apps

    for app in module_apps():
        label = app.rsplit(".", 1)[1]
        if Path(apps.get_app_config(label).path, "urls.py").exists():
            assert label in apps_with_routes, f"{label}'s pages are not enumerated"
    assert len(found) > 150
    samples = ["1", "115-0000001", "115-00001", "66000010", "66000010001", "abc"]
    for template in openapi_operations():
        for sample in samples:
            try:
                resolve(re.sub(r"\{\w+\}", sample, template))
                break
            except Resolver404:
                continue
        else:
            pytest.fail(f"the OpenAPI path {template} is no route of the URL resolver")


@pytest.mark.parametrize("who", USERS)
def test_hostile_input_on_every_route(db, dataset, who):
    """No 5xx, no unescaped hostile string in HTML, no petitioner's data to a non-handler."""
    client = _client_for(dataset.users[who], dataset)
    findings = Findings(user=who)
    for route in routes():
        for url in urls_for(route, dataset):
            exercise(client, findings, url, route, dataset, deep=who in DEEP)
    assert findings.requests > (1500 if who in DEEP else 800)
    assert not findings.problems, _report(findings)


def test_deeply_nested_json_is_refused(db, dataset):
    """JSON nested 100,000 deep on every API route that takes a body: answered (4xx), never a 5xx."""
    client = _client_for(dataset.users["own_agency_staff"], dataset)
    findings = Findings(user="own_agency_staff")
    nested = "[" * 100_000 + "]" * 100_000
    nested_object = '{"a":' * 50_000 + "1" + "}" * 50_000
    for route in routes():
        if not route.is_api:
            continue
        for url in urls_for(route, dataset)[:1]:
            for body in (nested, nested_object):
                _send(client, findings, "post", url, data=body, content_type="application/json")
    assert not findings.problems, _report(findings)


def test_the_checks_catch_what_they_look_for(db):
    """The suite's own checks fail on a 500, on a reflected script and on a leaked phone number."""
    from django.http import HttpResponse, HttpResponseServerError

    class Fake:
        def __init__(self, response):
            self.response = response

        def get(self, url, **extra):
            return self.response

    findings = Findings(user="anonymous")
    _send(Fake(HttpResponseServerError("boom")), findings, "get", "/x")
    _send(Fake(HttpResponse(f"<p>{XSS}</p>")), findings, "get", "/y")
    _send(Fake(HttpResponse(f"<p>{PETITIONER['phone']}</p>")), findings, "get", "/z")
    _send(Fake(HttpResponse("<p>&lt;script&gt;window.__xss=1&lt;/script&gt;</p>")), findings, "get", "/ok")
    kinds = [problem.split(":")[0] for problem in findings.problems]
    assert kinds == ["5xx", "unescaped", "personal data"]
