"""A CKAN-compatible Action API (CKAN 2.x `api/3/action/<name>`), so CKAN clients such as ckanapi,
harvesters and scripts written for other portals work against this catalog unchanged.

- GET with query parameters for reads; POST with a JSON body (or a form, or multipart with an
  `upload` file) for everything. A GET to a write action is refused as CKAN refuses it.
- Answers: `{"help", "success": true, "result"}`; errors `{"help", "success": false, "error":
  {"__type": ..., "message" | field: [...]}}` with CKAN's status codes (Validation Error 409,
  Not Found Error 404, Authorization Error 403, Search Query Error 400).
- Writes need an API key of an agency's service user (`rdec create_api_key`), sent as ckanapi
  sends it (`Authorization: <key>` and `X-CKAN-API-Key: <key>`) or as `Authorization: Api-Key <key>`.
  Permissions are the services' own: an agency's key writes its own agency's datasets only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from rdec.core import context, jsonlimits
from rdec.core.api.authentication import refuse_write_reason, user_for_key
from rdec.core.middleware import client_ip
from rdec.core.models import Agency
from rdec.opendata import selectors, services, vocab
from rdec.opendata.api import dictize
from rdec.opendata.models import Dataset, Resource
from rdec.opendata.search import QueryTooLong

ROWS_MAX = 1000
OFFSET_MAX = 1_000_000  # the largest start, offset, rows or limit read (rows are then lowered to ROWS_MAX)
FQ_MAX_TERMS = 64  # field:value clauses in one fq (each OR alternative counts)


class SearchQueryError(Exception):
    pass


class NotAuthorized(Exception):
    pass


# --- parameters --------------------------------------------------------------------------------


def _params(request) -> dict:
    if request.method == "GET":
        return {k: (v[0] if len(v) == 1 else v) for k, v in request.GET.lists()}
    content_type = request.content_type or ""
    if content_type.startswith("multipart/") or content_type == "application/x-www-form-urlencoded":
        try:
            data = {k: (v[0] if len(v) == 1 else v) for k, v in request.POST.lists()}
        except (MultiPartParserError, SuspiciousOperation, BadRequest):
            raise SearchQueryError(
                _("The form could not be read: it is malformed or larger than the limits.")
            ) from None
        if len(data) == 1 and not request.FILES:
            (only,) = data
            try:
                decoded = jsonlimits.loads(only)
            except jsonlimits.JSONTooDeep:
                raise SearchQueryError(_too_deep()) from None
            except ValueError:
                decoded = None
            if isinstance(decoded, dict):
                return decoded
        for key, value in list(data.items()):
            if key in ("schema", "tags", "extras", "resources") and isinstance(value, str):
                try:
                    data[key] = jsonlimits.loads(value)
                except jsonlimits.JSONTooDeep:
                    raise SearchQueryError(_too_deep()) from None
                except ValueError:
                    pass
        data.update(request.FILES.dict())
        return data
    try:
        body = request.body
    except RequestDataTooBig:
        raise SearchQueryError(
            _("The request body is larger than %(size)s bytes.")
            % {"size": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}"}
        ) from None
    if not body:
        return {}
    try:
        data = jsonlimits.loads(body)
    except jsonlimits.JSONTooDeep:
        raise SearchQueryError(_too_deep()) from None
    except ValueError as exc:
        raise SearchQueryError(_("The request body is not valid JSON.")) from exc
    if not isinstance(data, dict):
        raise SearchQueryError(_("The request body must be a JSON object."))
    return data


def _too_deep() -> str:
    return _("The JSON body is nested more than %(depth)s levels deep.") % {"depth": jsonlimits.MAX_DEPTH}


def _int(data: dict, key: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    """A whole-number parameter from `minimum` to OFFSET_MAX (a 400 Search Query Error naming it
    otherwise: a start of 2**64 used to reach the database and answer 500); above `maximum` it is
    lowered to `maximum`, as CKAN lowers rows."""
    value = data.get(key, default)
    try:
        number = int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError, OverflowError):
        number = None
    if number is None or not minimum <= number <= OFFSET_MAX:
        raise SearchQueryError(
            _("%(name)s must be a whole number from %(minimum)s to %(maximum)s.")
            % {"name": key, "minimum": minimum, "maximum": f"{OFFSET_MAX:,}"}
        )
    return min(number, maximum) if maximum is not None else number


def _bool(data: dict, key: str) -> bool:
    return str(data.get(key, "")).lower() in ("true", "1", "yes", "on")


def _require_id(data: dict, key: str = "id") -> str:
    value = data.get(key)
    if not value:
        raise ValidationError({key: [_("Missing value")]})
    return str(value)


# --- fq: the Solr filter grammar harvesters send ------------------------------------------------------

FQ_TOKEN = re.compile(r'[-+]?[A-Za-z_]+:(?:"[^"]*"|\[[^\]]*\]|\([^)]*\)|[^\s]+)|\bOR\b|\bAND\b|\S+')


def _fq_value(raw: str) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return raw[1:-1]
    return raw


def _time_bound(raw: str):
    raw = raw.strip()
    if raw in ("*", ""):
        return None
    try:
        parsed = parse_datetime(raw.replace("Z", "+00:00")) or (
            parse_date(raw[:10]) if len(raw) >= 10 else None
        )
    except ValueError:
        parsed = None
    if parsed is None:
        raise SearchQueryError(_("Cannot read the date “%(value)s” in fq.") % {"value": raw})
    return parsed


def _fq_clause(field: str, raw: str) -> Q:
    if raw.startswith("(") and raw.endswith(")"):
        parts = [p for p in re.split(r"\s+OR\s+", raw[1:-1]) if p.strip()]
        combined = Q(pk__in=[])
        for part in parts:
            combined |= _fq_clause(field, part)
        return combined
    value = _fq_value(raw)
    if field == "organization" or field == "owner_org":
        return Q(agency__code=value)
    if field == "tags":
        return Q(pk__in=Dataset.objects.filter(tags__name=value).values("pk"))
    if field == "res_format":
        return Q(
            pk__in=Resource.objects.filter(format__iexact=value, state=Resource.State.ACTIVE).values(
                "dataset_id"
            )
        )
    if field in ("groups", "category"):
        code = vocab.category_from_name(value) or value
        return Q(category=code)
    if field in ("badge", "quality"):
        return Q(quality_badge=value)
    if field == "update_frequency":
        return Q(update_frequency=value)
    if field == "license_id":
        return Q(license=value)
    if field == "name":
        return Q(name=value)
    if field in ("id", "identifier"):
        return Q(identifier=value)
    if field in ("metadata_modified", "metadata_created"):
        model_field = "metadata_modified" if field == "metadata_modified" else "created_at"
        match = re.fullmatch(r"\[(.+?)\s+TO\s+(.+?)\]", raw)
        if not match:
            raise SearchQueryError(
                _("Use a range like %(example)s.") % {"example": "[2024-01-01T00:00:00Z TO *]"}
            )
        low, high = _time_bound(match.group(1)), _time_bound(match.group(2))
        q = Q()
        if low is not None:
            q &= Q(**{f"{model_field}__gte": low})
        if high is not None:
            q &= Q(**{f"{model_field}__lte": high})
        return q
    raise SearchQueryError(_("Cannot filter on the field “%(field)s”.") % {"field": field})


def fq_terms(fq: str) -> int:
    """How many field:value clauses an fq holds, each alternative of `field:(a OR b)` counted."""
    return sum(
        1 + len(re.findall(r"\sOR\s", part))
        for part in FQ_TOKEN.findall(fq or "")
        if part not in ("OR", "AND", "*:*")
    )


def parse_fq(fq: str) -> Q:
    """`field:value`, `+field:value`, `-field:value`, `A OR B`, `field:[X TO *]`; clauses without
    OR between them must all hold."""
    result = Q()
    pending: Q | None = None
    join_or = False
    for part in FQ_TOKEN.findall(fq or ""):
        if part == "OR":
            join_or = True
            continue
        if part in ("AND", "*:*"):
            continue
        negate = part.startswith("-")
        body = part.lstrip("+-")
        if ":" not in body:
            raise SearchQueryError(_("Cannot read “%(part)s” in fq; write field:value.") % {"part": part})
        field, _sep, raw = body.partition(":")
        clause = _fq_clause(field, raw)
        clause = ~clause if negate else clause
        if pending is not None and join_or:
            pending = pending | clause
        else:
            if pending is not None:
                result &= pending
            pending = clause
        join_or = False
    if pending is not None:
        result &= pending
    return result


SORTS = {
    "id": "identifier",
    "name": "name",
    "title": "title",
    "metadata_modified": "metadata_modified",
    "metadata_created": "created_at",
}


def _order(sort: str) -> list[str]:
    order: list[str] = []
    for part in (sort or "").split(","):
        bits = part.split()
        if not bits or bits[0] == "score":
            continue
        field = SORTS.get(bits[0])
        if field is None:
            raise SearchQueryError(_("Cannot sort by “%(field)s”.") % {"field": bits[0]})
        descending = len(bits) > 1 and bits[1].lower() == "desc"
        order.append(("-" if descending else "") + field)
    return [*order, "-metadata_modified", "identifier"] if order else ["-metadata_modified", "identifier"]


# --- read actions ------------------------------------------------------------------------------------


def site_read(request, data, user):
    """True: the site can be read."""
    return True


def status_show(request, data, user):
    """The site's title, address, default locale and the CKAN API version it follows."""
    return {
        "site_title": _("Taichung City open data"),
        "site_description": "",
        "site_url": request.build_absolute_uri("/"),
        "locale_default": "zh_Hant_TW",
        "extensions": [],
        "ckan_version": "2.10.0",
    }


def package_list(request, data, user):
    """The names of the published datasets, sorted (limit, offset)."""
    limit = _int(data, "limit", 0) if data.get("limit") not in (None, "") else None
    offset = _int(data, "offset", 0)
    names = selectors.published_datasets().order_by("name").values_list("name", flat=True)
    return list(names[offset : offset + limit] if limit is not None else names[offset:])


def package_show(request, data, user):
    """A dataset by name, identifier or id, with its resources and the national standard's fields."""
    dataset = selectors.get_dataset_for_user(user, _require_id(data))
    dataset = dictize.for_api(Dataset.objects.filter(pk=dataset.pk)).get()
    return dictize.package_dict(dataset, request)


def _facet_fields(data) -> list[str]:
    raw = data.get("facet.field")
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        try:
            raw = jsonlimits.loads(raw)
        except ValueError:
            raw = [raw]
    return [str(f) for f in (raw if isinstance(raw, list) else [raw])]


def package_search(request, data, user):
    """Search: q, fq, fq_list, rows (at most 1000), start, sort, facet.field, facet.limit."""
    rows = _int(data, "rows", 10, maximum=ROWS_MAX)
    start = _int(data, "start", 0)
    sort = str(data.get("sort") or "score desc, metadata_modified desc")
    try:
        qs = selectors.search_datasets(user, q=str(data.get("q") or ""))
    except QueryTooLong as exc:
        raise SearchQueryError(str(exc)) from None
    fq_list = data.get("fq_list") or []
    fq_list = fq_list if isinstance(fq_list, list) else [fq_list]
    filters = [str(fq) for fq in [data.get("fq") or "", *fq_list] if fq]
    terms = sum(fq_terms(fq) for fq in filters)
    if terms > FQ_MAX_TERMS:
        raise SearchQueryError(
            _("fq has %(found)s clauses; at most %(count)s are allowed.")
            % {"found": f"{terms:,}", "count": FQ_MAX_TERMS}
        )
    for fq in filters:
        if fq:
            qs = qs.filter(parse_fq(str(fq)))
    qs = qs.order_by(*_order(sort))  # every filter is a pk__in subquery or a unique join: no duplicates
    count = qs.count()
    page = list(dictize.for_api(qs)[start : start + rows])
    wanted = _facet_fields(data)
    limit = _int(data, "facet.limit", 50, minimum=-1)
    facets, search_facets = {}, {}
    if wanted:
        computed = selectors.facets(qs)
        for field in wanted:
            items = computed.get(field)
            if items is None:
                continue
            items = items if limit < 0 else items[:limit]
            facets[field] = {i["name"]: i["count"] for i in items}
            search_facets[field] = {
                "title": field,
                "items": [
                    {"name": i["name"], "display_name": i["display_name"], "count": i["count"]} for i in items
                ],
            }
    return {
        "count": count,
        "sort": sort,
        "results": [dictize.package_dict(d, request) for d in page],
        "facets": facets,
        "search_facets": search_facets,
    }


def resource_show(request, data, user):
    """A resource by its resourceID (identifier-001) or id."""
    resource = selectors.get_resource_for_user(user, _require_id(data))
    resource = (
        Resource.objects.select_related("dataset").prefetch_related("quality_checks").get(pk=resource.pk)
    )
    return dictize.resource_dict(resource, request)


def _agency(key: str) -> Agency:
    agency = Agency.objects.filter(Q(code=key) | Q(oid=key)).first() if key else None
    if agency is None and key and str(key).isdigit():
        agency = Agency.objects.filter(pk=int(key)).first()
    return agency


def organization_list(request, data, user):
    """The agencies that have published datasets (sort, limit, offset, organizations, all_fields)."""
    qs = selectors.agencies_with_datasets()
    wanted = data.get("organizations")
    if wanted:
        qs = qs.filter(code__in=wanted if isinstance(wanted, list) else str(wanted).split(","))
    sort = str(data.get("sort") or "title asc")
    key, _sep, direction = sort.partition(" ")
    field = {"name": "code", "title": "name", "package_count": "package_count"}.get(key, "name")
    qs = qs.order_by(("-" if direction.strip().lower() == "desc" else "") + field, "code")
    all_fields = _bool(data, "all_fields")
    limit = _int(data, "limit", 25 if all_fields else 1000, maximum=1000)
    offset = _int(data, "offset", 0)
    page = list(qs[offset : offset + limit])
    if all_fields:
        return [dictize.organization_dict(a, a.package_count) for a in page]
    return [a.code for a in page]


def organization_show(request, data, user):
    """An agency by code (include_datasets: its first 10 datasets)."""
    agency = _agency(_require_id(data))
    if agency is None:
        raise Http404
    datasets = selectors.published_datasets().filter(agency=agency)
    result = dictize.organization_dict(agency, datasets.count())
    if _bool(data, "include_datasets"):
        result["packages"] = [dictize.package_dict(d, request) for d in dictize.for_api(datasets)[:10]]
    return result


def group_list(request, data, user):
    """The service categories (服務分類) that have datasets (all_fields)."""
    counts = {g["name"]: g for g in selectors.facets(selectors.published_datasets())["groups"]}
    if _bool(data, "all_fields"):
        return [
            {
                "id": c,
                "name": c,
                "title": g["display_name"],
                "display_name": g["display_name"],
                "package_count": g["count"],
                "type": "group",
                "is_organization": False,
            }
            for c, g in sorted(counts.items())
        ]
    return sorted(counts)


def group_show(request, data, user):
    """A service category (服務分類) as a CKAN group: id is its code (A00) or its name (交通及通訊)."""
    code = vocab.category_from_name(_require_id(data))
    if code is None:
        raise Http404
    label = vocab.Category(code).label
    datasets = selectors.published_datasets().filter(category=code)
    result = {
        "id": code,
        "name": code,
        "title": label,
        "display_name": label,
        "type": "group",
        "is_organization": False,
        "state": "active",
        "package_count": datasets.count(),
    }
    if _bool(data, "include_datasets"):
        result["packages"] = [dictize.package_dict(d, request) for d in dictize.for_api(datasets)[:10]]
    return result


def help_show(request, data, user):
    """The documentation of an action (`name`)."""
    entry = ACTIONS.get(str(data.get("name") or ""))
    if entry is None:
        raise Http404
    return (entry[0].__doc__ or "").strip()


def tag_list(request, data, user):
    """The tags of published datasets (query, all_fields)."""
    names = selectors.tag_names(str(data.get("query") or data.get("q") or ""))
    if _bool(data, "all_fields"):
        return [{"id": n, "name": n, "display_name": n, "vocabulary_id": None} for n in names]
    return names


def license_list(request, data, user):
    """The licences a dataset may carry."""
    return [
        {
            "id": v,
            "title": label,
            "url": vocab.LICENSE_URLS[v],
            "od_conformance": "approved",
            "status": "active",
        }
        for v, label in vocab.License.choices
    ]


# --- write actions -----------------------------------------------------------------------------------


def _writer(user):
    if user is None:
        raise NotAuthorized(_("Send an API key to write to the catalog."))
    return user


def _ckan_errors(exc: ValidationError, mapping: dict) -> dict:
    if not hasattr(exc, "error_dict"):
        return {"message": " ".join(str(m) for m in exc.messages)}
    return {
        mapping.get(f, f): [str(m) for e in errs for m in e.messages] for f, errs in exc.error_dict.items()
    }


class FieldErrors(Exception):
    def __init__(self, errors: dict):
        self.errors = errors


def _resource_kwargs(data: dict) -> dict:
    kwargs = {}
    if "name" in data or "description" in data:
        kwargs["description"] = str(data.get("name") or data.get("description") or "")
    for key in ("url", "format", "encoding", "field_description"):
        if key in data and data[key] is not None:
            kwargs[key] = str(data[key])
    if "schema" in data:
        schema = data["schema"]
        if isinstance(schema, str):
            try:
                schema = jsonlimits.loads(schema) if schema.strip() else None
            except ValueError:
                raise FieldErrors({"schema": [_("Table Schema: not valid JSON.")]}) from None
        kwargs["schema"] = schema
    if data.get("size") not in (None, ""):
        try:
            kwargs["size"] = int(data["size"])
        except (TypeError, ValueError):
            raise FieldErrors({"size": [_("Must be a whole number.")]}) from None
    upload = data.get("upload")
    if upload is not None and hasattr(upload, "chunks"):
        kwargs["upload"] = upload
        kwargs.pop("url", None)
    return kwargs


def _add_resource(dataset, data, user):
    kwargs = _resource_kwargs(data)
    kwargs.setdefault("description", "")
    try:
        return services.add_resource(dataset, actor=user, **kwargs)
    except ValidationError as exc:
        raise FieldErrors(_ckan_errors(exc, dictize.RESOURCE_FIELD_TO_KEY)) from exc


def _resources_input(data: dict) -> list[dict]:
    resources = data.get("resources") or []
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        raise FieldErrors({"resources": [_("Must be a list of resource objects.")]})
    return resources


def package_create(request, data, user):
    """Publish a dataset (API key of the owning agency or of the RDEC); resources may be included."""
    user = _writer(user)
    agency = _agency(str(data.get("owner_org") or ""))
    if agency is None:
        if not data.get("owner_org") and user.agency is not None and not user.is_oversight:
            agency = user.agency
        else:
            raise FieldErrors({"owner_org": [_("Organization: no agency with this code.")]})
    values = dictize.dataset_input(data)
    identifier = values.pop("identifier", "")
    required = [
        "title",
        "description",
        "category",
        "field_description",
        "update_frequency",
        "contact_name",
        "contact_phone",
        "contact_email",
    ]
    for field in required:
        values.setdefault(field, "")
    try:
        dataset = services.publish_dataset(
            actor=user,
            agency=agency,
            name=str(data.get("name") or ""),
            identifier=str(identifier or ""),
            tags=dictize.tags_input(data),
            **values,
        )
    except ValidationError as exc:
        raise FieldErrors(_ckan_errors(exc, dictize.FIELD_TO_KEY)) from exc
    for resource in _resources_input(data):
        _add_resource(dataset, resource, user)
    return package_show(request, {"id": dataset.identifier}, user)


def package_update(request, data, user):
    """Changes the keys that are given (other keys keep their values, as package_patch would);
    `resources` entries with an `id` update that resource, entries without one are added."""
    user = _writer(user)
    dataset = selectors.get_dataset_for_user(user, _require_id(data))
    values = dictize.dataset_input(data)
    values.pop("identifier", None)
    try:
        services.update_dataset(dataset, actor=user, tags=dictize.tags_input(data), **values)
    except ValidationError as exc:
        raise FieldErrors(_ckan_errors(exc, dictize.FIELD_TO_KEY)) from exc
    for entry in _resources_input(data):
        if entry.get("id"):
            resource = selectors.get_resource_for_user(user, str(entry["id"]))
            if resource.dataset_id != dataset.pk:
                raise FieldErrors({"resources": [_("A resource belongs to another dataset.")]})
            _update_resource(resource, entry, user)
        else:
            _add_resource(dataset, entry, user)
    return package_show(request, {"id": dataset.identifier}, user)


def package_delete(request, data, user):
    """Withdraw a dataset (下架)."""
    user = _writer(user)
    dataset = selectors.get_dataset_for_user(user, _require_id(data))
    services.delete_dataset(dataset, actor=user)
    return None


def resource_create(request, data, user):
    """Add a resource to a dataset (package_id): a url, or a multipart upload."""
    user = _writer(user)
    dataset = selectors.get_dataset_for_user(user, _require_id(data, "package_id"))
    resource = _add_resource(dataset, data, user)
    return dictize.resource_dict(
        Resource.objects.select_related("dataset").prefetch_related("quality_checks").get(pk=resource.pk),
        request,
    )


def _update_resource(resource, data, user):
    kwargs = _resource_kwargs(data)
    try:
        return services.update_resource(resource, actor=user, **kwargs)
    except ValidationError as exc:
        raise FieldErrors(_ckan_errors(exc, dictize.RESOURCE_FIELD_TO_KEY)) from exc


def resource_update(request, data, user):
    """Change a resource; a new link or file is kept as a new version."""
    user = _writer(user)
    resource = selectors.get_resource_for_user(user, _require_id(data))
    _update_resource(resource, data, user)
    return dictize.resource_dict(
        Resource.objects.select_related("dataset").prefetch_related("quality_checks").get(pk=resource.pk),
        request,
    )


# name -> (function, side_effect_free)
ACTIONS: dict[str, tuple[Callable, bool]] = {
    "site_read": (site_read, True),
    "status_show": (status_show, True),
    "package_list": (package_list, True),
    "package_show": (package_show, True),
    "package_search": (package_search, True),
    "resource_show": (resource_show, True),
    "organization_list": (organization_list, True),
    "organization_show": (organization_show, True),
    "group_list": (group_list, True),
    "group_show": (group_show, True),
    "help_show": (help_show, True),
    "tag_list": (tag_list, True),
    "license_list": (license_list, True),
    "package_create": (package_create, False),
    "package_update": (package_update, False),
    "package_delete": (package_delete, False),
    "resource_create": (resource_create, False),
    "resource_update": (resource_update, False),
}


# --- the view ------------------------------------------------------------------------------------------


def _key_from(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "").strip()
    if header.lower().startswith("api-key "):
        header = header[8:].strip()
    elif header.lower().startswith(("bearer ", "basic ")):
        header = ""
    return header or request.META.get("HTTP_X_CKAN_API_KEY", "").strip() or None


def _json(body, status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def action(request, action: str):
    language = translation.get_language_from_request(request, check_path=False)
    translation.activate(language)
    entry = ACTIONS.get(action)
    if entry is None:
        return _json(_("Bad request: Action name not known: %(name)s") % {"name": action}, status=400)
    func, side_effect_free = entry
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    if request.method == "GET" and not side_effect_free:
        return _json(
            "Bad request: JSON Error: Invalid request. Please use POST method for your request", status=400
        )
    help_url = request.build_absolute_uri(request.path.rsplit("/", 1)[0] + f"/help_show?name={action}")

    def error(kind: str, status: int, **detail):
        return _json({"help": help_url, "success": False, "error": {"__type": kind, **detail}}, status=status)

    user = None
    key = _key_from(request)
    if key:
        user = user_for_key(key)
        if user is None:
            return error("Authorization Error", 403, message=_("The API key is invalid, revoked or expired."))
        if not side_effect_free and refuse_write_reason(user, "POST"):
            return error("Authorization Error", 403, message=refuse_write_reason(user, "POST"))
    token = context.set_current(user, client_ip(request))
    try:
        data = _params(request)
        result = func(request, data, user)
    except (FieldErrors, dictize.InputError) as exc:
        return error("Validation Error", 409, **exc.errors)
    except ValidationError as exc:
        return error("Validation Error", 409, **_ckan_errors(exc, {}))
    except Http404:
        return error("Not Found Error", 404, message=_("Not found"))
    except (PermissionDenied, NotAuthorized) as exc:
        message = str(exc) or _("You do not have permission to do this.")
        return error("Authorization Error", 403, message=message)
    except SearchQueryError as exc:
        return error("Search Query Error", 400, message=str(exc))
    finally:
        context.reset(token)
    return _json({"help": help_url, "success": True, "result": result})
