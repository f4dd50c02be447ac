"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): discovery, services, service
definitions, service requests (read and create) and tokens, each as .json and .xml.

The services are the leaf categories. Reads are public and never show personal data: no names,
phones or e-mails; addresses with house and floor numbers masked; coordinates rounded to about
100 m; phone numbers, e-mail addresses, ID numbers and the petitioner's name scrubbed from the
description; nothing of a case whose petitioner asked for confidentiality or whose personal data
was erased but its category, status, agency and dates. See docs/api/open311.md.
"""

from __future__ import annotations

import datetime
import functools
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from rdec.core import geo, workdays
from rdec.core.api.authentication import refuse_write_reason, user_for_key
from rdec.core.context import acting_as
from rdec.core.middleware import client_ip
from rdec.petitions import selectors, services, tracking
from rdec.petitions.models import Case, CaseEvent, Category
from rdec.petitions.open311.render import errors, respond
from rdec.petitions.privacy import mask_address, public_text

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-27T00:00:00+08:00"  # the date this interface last changed
MAX_DAYS = 90
MAX_REQUESTS = 1000
MAX_DESCRIPTION = 4000
MAX_IDEMPOTENCY_KEY = 64
IDEMPOTENCY_PREFIX = "open311:"
COORDINATE_DECIMALS = 3  # about 110 m north–south, 100 m east–west at Taichung's latitude


# --- helpers -----------------------------------------------------------------------------------------


def allow(*methods):
    """Answer other methods with 405 in the Open311 error format."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, fmt="json", **kwargs):
            if request.method not in methods:
                response = errors(fmt, 405, _("This method is not allowed here."))
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, fmt=fmt, **kwargs)

        return wrapper

    return decorator


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


def _label(obj) -> str:
    """Bilingual content: the English name when the request asks for English and there is one."""
    if obj is None:
        return ""
    english = getattr(obj, "name_en", "")
    return english if _english() and english else obj.name


def _when(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _end_of(day: datetime.date) -> str:
    end = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    return timezone.make_aware(end).isoformat(timespec="seconds")


def _param(request, name: str) -> str:
    """An empty parameter behaves exactly like an absent one (the spec's optional arguments)."""
    return (request.GET.get(name) or "").strip()


def _comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def scrub(text: str, case: Case) -> str:
    """Free text as the public may see it: core.pii's detector (phones in every format, ID numbers,
    e-mail addresses, introduced names, the petitioner's own name, phone and e-mail) and house,
    floor, lane and alley numbers masked wherever they were typed (privacy.public_text)."""
    return public_text(text, case)


def _service_notice(category: Category) -> str:
    if category.urgent and category.ack_hours:
        return _(
            "Urgent: the agency is alerted at once and acknowledges within %(hours)s hours; "
            "handled within %(days)s working days."
        ) % {"hours": category.ack_hours, "days": category.working_days}
    return _("Handled within %(days)s working days of receipt.") % {"days": category.working_days}


def _service(category: Category) -> dict:
    agency = _label(category.default_agency) or _("the RDEC")
    keywords = [category.name, category.parent.name, category.name_en, category.parent.name_en]
    return {
        "service_code": category.code,
        "service_name": _label(category),
        "description": _("%(group)s: %(name)s. Handled by %(agency)s within %(days)s working days.")
        % {
            "group": _label(category.parent),
            "name": _label(category),
            "agency": agency,
            "days": category.working_days,
        },
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(k for k in keywords if k),
        "group": _label(category.parent),
    }


def _status_notes(case: Case) -> str:
    agency = _label(case.agency)
    status = case.status
    if status == Case.Status.RECEIVED:
        return _("Received; being routed to the responsible agency.")
    if status == Case.Status.ASSIGNED:
        return _("Assigned to %(agency)s.") % {"agency": agency}
    if status == Case.Status.IN_PROGRESS:
        return _("%(agency)s is handling the case.") % {"agency": agency}
    if status == Case.Status.REPLIED:
        return _("%(agency)s replied on %(date)s.") % {
            "agency": agency,
            "date": timezone.localtime(case.replied_at).date().isoformat() if case.replied_at else "",
        }
    if status == Case.Status.CLOSED:
        return _("Closed.")
    if status == Case.Status.WITHDRAWN:
        return _("Withdrawn at the petitioner's request.")
    if status == Case.Status.MERGED:
        number = case.merged_into.number if case.merged_into_id and case.merged_into else ""
        return _("Merged into case %(number)s, which answers it.") % {"number": number}
    return ""


def _updated(case: Case) -> datetime.datetime:
    """For a closed request the close time; otherwise the time of its last step."""
    if case.status in (Case.Status.CLOSED, Case.Status.WITHDRAWN) and case.closed_at:
        return case.closed_at
    if case.status == Case.Status.REPLIED and case.replied_at:
        return case.replied_at
    return getattr(case, "last_step_at", None) or case.received_at


def _request(case: Case) -> dict:
    """One service request as the public may see it (no personal data)."""
    shown = not (case.confidential or case.erased_at)
    item = {
        "service_request_id": case.number,
        "status": "open" if case.is_open else "closed",
        "status_notes": _status_notes(case),
        "service_name": _label(case.category),
        "service_code": case.category.code,
        "description": scrub(case.description, case) if shown else "",
        "agency_responsible": _label(case.agency),
        "service_notice": _service_notice(case.category),
        "requested_datetime": _when(case.received_at),
        "updated_datetime": _when(_updated(case)),
        "expected_datetime": _end_of(case.due_date),
        "address": mask_address(case.address) if shown else "",
        "address_id": "",
        "zipcode": "",
    }
    if shown and case.lat is not None and case.lon is not None:
        item["lat"] = round(case.lat, COORDINATE_DECIMALS)
        item["long"] = round(case.lon, COORDINATE_DECIMALS)
    media = getattr(case, "media_events", None)
    item["media_url"] = media[0].data.get("url", "") if media else ""
    return item


def _requests_queryset():
    last_step = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-at").values("at")[:1]
    media = CaseEvent.objects.filter(verb=services.MEDIA_LINKED).order_by("at")
    return (
        selectors.cases_public()
        .annotate(last_step_at=Subquery(last_step))
        .prefetch_related(Prefetch("events", queryset=media, to_attr="media_events"))
    )


def _parse_moment(value: str, name: str) -> datetime.datetime:
    """W3C / ISO 8601 date-time (a missing time zone is read as Taiwan time; a date alone is
    midnight). A '+' of the offset decoded to a space in an unencoded URL is put back."""
    value = re.sub(r"(T\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$", r"\1+\2", value)
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = datetime.datetime.combine(day, datetime.time()) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValueError(
            _("%(name)s must be a W3C date-time such as 2026-01-31T09:00:00+08:00.") % {"name": name}
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# --- discovery and services --------------------------------------------------------------------------


@allow("GET", "HEAD")
def discovery(request, *, fmt):
    """Service discovery: where the endpoint is, what it speaks, and how to get a key."""
    base = request.build_absolute_uri("/open311/v2/").rstrip("/")
    endpoint = {
        "specification": SPECIFICATION,
        "url": base,
        "changeset": CHANGESET,
        "type": "test" if settings.DEBUG else "production",
        "formats": ["text/xml", "application/json"],
    }
    data = {
        "changeset": CHANGESET,
        "contact": _("%(site)s, 1999 citizen hotline; %(url)s") % {"site": settings.SITE_NAME, "url": base},
        "key_service": _(
            "API keys are issued by the platform's administrators; ask the Research, Development "
            "and Evaluation Commission for one."
        ),
        "endpoints": [endpoint],
    }
    return respond(fmt, "discovery", data)


@allow("GET", "HEAD")
def service_list(request, *, fmt):
    """Every service (a leaf category), grouped by its parent category."""
    categories = selectors.leaf_categories().order_by("parent__sort_order", "sort_order", "code")
    return respond(fmt, "services", [_service(c) for c in categories])


@allow("GET", "HEAD")
def service_definition(request, code, *, fmt):
    """No service asks for extra attributes (metadata is false): an empty attribute list."""
    category = selectors.leaf_categories().filter(code=code).first()
    if category is None:
        return errors(fmt, 404, _("There is no service with the code %(code)s.") % {"code": code})
    return respond(fmt, "service_definition", {"service_code": category.code, "attributes": []})


# --- service requests --------------------------------------------------------------------------------


@csrf_exempt
@allow("GET", "HEAD", "POST")
def request_list(request, *, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    return _search(request, fmt)


def _search(request, fmt):
    """GET requests: by id (a comma list, overriding every other filter), or by service code,
    status and a window of at most 90 days on the requested time (default: the last 90 days);
    at most 1,000 requests, newest first."""
    qs = _requests_queryset()
    ids = _comma_list(_param(request, "service_request_id"))
    if ids:
        if len(ids) > MAX_REQUESTS:
            return errors(fmt, 400, _("Ask for at most 1,000 service requests at a time."))
        return respond(fmt, "service_requests", [_request(c) for c in qs.filter(number__in=ids)])
    problems = []
    codes = _comma_list(_param(request, "service_code"))
    if codes:
        known = set(selectors.leaf_categories().filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            problems.append(
                _("Unknown service_code: %(codes)s. See services.json for the list.")
                % {"codes": ", ".join(unknown)}
            )
        qs = qs.filter(category__code__in=codes)
    statuses = _comma_list(_param(request, "status").lower())
    if statuses:
        if not set(statuses) <= {"open", "closed"}:
            problems.append(_("status must be open, closed, or both separated by a comma."))
        elif set(statuses) == {"open"}:
            qs = qs.filter(status__in=Case.OPEN_STATUSES)
        elif set(statuses) == {"closed"}:
            qs = qs.exclude(status__in=Case.OPEN_STATUSES)
    start = end = None
    for name in ("start_date", "end_date"):
        value = _param(request, name)
        if value:
            try:
                moment = _parse_moment(value, name)
            except ValueError as exc:
                problems.append(str(exc))
                continue
            if name == "start_date":
                start = moment
            else:
                end = moment
    page, page_size = 1, MAX_REQUESTS
    for name in ("page", "page_size"):
        value = _param(request, name)
        if not value:
            continue
        top = MAX_REQUESTS if name == "page_size" else 1_000_000
        if not value.isdigit() or not 1 <= int(value) <= top:
            problems.append(
                _("%(name)s must be a whole number from 1 to %(top)s.") % {"name": name, "top": f"{top:,}"}
            )
        elif name == "page":
            page = int(value)
        else:
            page_size = int(value)
    if problems:
        return errors(fmt, 400, *problems)
    window = datetime.timedelta(days=MAX_DAYS)
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - window
    if end is None:
        end = start + window
    if start > end:
        return errors(fmt, 400, _("start_date must not be later than end_date."))
    if end - start > window:
        return errors(fmt, 400, _("The date range may span at most 90 days."))
    qs = qs.filter(received_at__gte=start, received_at__lte=end).order_by("-received_at", "-id")
    first = (page - 1) * page_size
    return respond(fmt, "service_requests", [_request(c) for c in qs[first : first + page_size]])


@allow("GET", "HEAD")
def request_detail(request, number, *, fmt):
    case = _requests_queryset().filter(number=number).first()
    if case is None:
        return errors(fmt, 404, _("There is no service request %(id)s.") % {"id": number})
    return respond(fmt, "service_requests", [_request(case)])


@allow("GET", "HEAD")
def token_detail(request, token, *, fmt):
    """A token is the Idempotency-Key sent with the POST, or the signed token of the petitioner's
    tracking link; either resolves to the service request it made."""
    case = selectors.case_for_idempotency_key(IDEMPOTENCY_PREFIX + token) if len(token) <= 64 else None
    if case is None:
        case = tracking.case_from_tracking_token(token)
    if case is None:
        return errors(fmt, 404, _("There is no service request for this token."))
    return respond(fmt, "service_requests", [{"service_request_id": case.number, "token": token}])


def _api_key(request) -> str:
    key = (request.POST.get("api_key") or "").strip()
    if not key:
        scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
        key = raw.strip() if scheme.lower() == "api-key" else ""
    return key


def _float(value: str, name: str, low: float, high: float, problems: list) -> float | None:
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        problems.append(
            _("%(name)s must be a number from %(low)s to %(high)s.")
            % {"name": name, "low": low, "high": high}
        )
        return None
    return number


def _petitioner_name(first: str, last: str) -> str:
    """王 + 小明 → 王小明 (family name first, no space) for Chinese names; John Smith otherwise."""
    if first and last and all(not ch.isascii() for ch in first + last):
        return last + first
    return " ".join(p for p in (first, last) if p)


def _create(request, fmt):
    """POST requests (form-encoded, api_key required): file a case on the service's category."""
    raw_key = _api_key(request)
    user = user_for_key(raw_key) if raw_key else None
    if user is None:
        return errors(
            fmt, 403, _("The api_key is missing, invalid, revoked or expired; the request was not created.")
        )
    reason = refuse_write_reason(user, request.method)
    if reason:
        return errors(fmt, 403, reason)
    data = request.POST
    code = (data.get("service_code") or "").strip()
    if not code:
        return errors(fmt, 400, _("service_code is required."))
    category = selectors.leaf_categories().filter(code=code).first()
    if category is None:
        return errors(fmt, 404, _("There is no service with the code %(code)s.") % {"code": code})

    problems: list[str] = []
    lat_raw, lon_raw = (data.get("lat") or "").strip(), (data.get("long") or "").strip()
    address = (data.get("address_string") or "").strip()
    lat = lon = None
    if bool(lat_raw) != bool(lon_raw):
        problems.append(_("Send both lat and long, or neither."))
    elif lat_raw:
        lat = _float(lat_raw, "lat", -90, 90, problems)
        lon = _float(lon_raw, "long", -180, 180, problems)
        if lat is not None and lon is not None and geo.resolve(lat, lon) is None:
            problems.append(_("The location lat/long is outside the city."))
    if not (lat_raw or lon_raw or address):
        if (data.get("address_id") or "").strip():
            problems.append(_("address_id is not supported here: send lat and long, or address_string."))
        else:
            problems.append(_("A location is required: lat and long, or address_string."))
    if len(address) > 200:
        problems.append(_("address_string may be at most 200 characters."))
    description = (data.get("description") or "").replace("\r\n", "\n").strip()
    if len(description) > MAX_DESCRIPTION:
        problems.append(_("description may be at most 4,000 characters."))
    if strip_tags(description) != description:
        problems.append(_("description must be plain text, without HTML."))
    media_url = (data.get("media_url") or "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            problems.append(_("media_url must be an http or https address."))
    email = (data.get("email") or "").strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            problems.append(_("email is not a valid e-mail address."))
    first, last = (data.get("first_name") or "").strip(), (data.get("last_name") or "").strip()
    name, phone = _petitioner_name(first, last)[:60], (data.get("phone") or "").strip()[:30]
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if len(key) > MAX_IDEMPOTENCY_KEY:
        problems.append(_("The Idempotency-Key header may be at most 64 characters."))
    if problems:
        return errors(fmt, 400, *problems)

    subject = description.split("\n", 1)[0][:50] if description else category.name
    try:
        with acting_as(user, client_ip(request)), transaction.atomic():
            case, code_shown = services.file_case(
                actor=user,
                channel=Case.Channel.OPEN311,
                category=category,
                subject=subject,
                description=description or category.name,
                address=address,
                lat=lat,
                lon=lon,
                petitioner_name=name,
                petitioner_phone=phone,
                petitioner_email=email,
                idempotency_key=IDEMPOTENCY_PREFIX + key if key else None,
            )
            created = code_shown is not None
            if not created and case.created_by_id != user.pk:
                # another client's key: neither its request nor its number is this client's to see
                transaction.set_rollback(True)
                return errors(
                    fmt, 409, _("This Idempotency-Key was used by another client; choose another key.")
                )
            if created and media_url:
                services.add_media_url(case, actor=user, url=media_url)
    except ValidationError as exc:
        return errors(fmt, 400, *exc.messages)
    except workdays.CalendarRangeError as exc:
        return errors(fmt, 400, str(exc))
    except PermissionDenied:
        return errors(fmt, 403, _("This key may not create service requests."))
    notice = _("%(notice)s Due by %(date)s.") % {
        "notice": _service_notice(category),
        "date": case.due_date.isoformat(),
    }
    body = [{"service_request_id": case.number, "service_notice": notice}]
    return respond(fmt, "service_requests", body, status=201 if created else 200)


def not_found(request, rest=""):
    fmt = "xml" if rest.endswith(".xml") else "json"
    return errors(fmt, 404, _("There is no such Open311 resource. Start at discovery.json."))
