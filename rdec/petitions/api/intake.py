"""The queued intake's direct answer (POST /api/v1/submissions/ from a connected system), given by
rdec/petitions/middleware.py before the rest of the request cycle.

Connected systems send submissions in bursts, and for them the request cycle of DRF (negotiation,
parsers, authentication classes, the serializer's field machinery) costs more than the work. The
common case — an API key, a JSON object of plain values that is valid — is therefore answered
here: the same key check and permission, the same rules as CaseCreateSerializer, the same service
(services.submit_case) and the same answer, field for field. Anything else returns None and takes
the ordinary way (SubmissionViewSet.create), which gives it its answer or its field errors; the
checks here only ever accept a subset of what the serializer accepts, with the same result (a
hypothesis test holds the two together)."""

from __future__ import annotations

import json
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from rdec.core import context, jsonlimits
from rdec.core.api.authentication import key_in_header, refuse_write_reason, user_for_key
from rdec.core.middleware import client_ip
from rdec.core.models import Role
from rdec.core.permissions import check
from rdec.petitions import selectors, services, submissions
from rdec.petitions.api import serializers as s
from rdec.petitions.models import Case

_FIELDS = s.CaseCreateSerializer._declared_fields  # the limits below are the serializer's own
_TEXT = {  # name: (max length, required, may be blank)
    name: (_FIELDS[name].max_length, _FIELDS[name].required, _FIELDS[name].allow_blank)
    for name in ("subject", "description", "address", "petitioner_name", "petitioner_phone")
}
_CATEGORY_MAX = _FIELDS["category"].max_length
_COORDINATES = {name: (_FIELDS[name].min_value, _FIELDS[name].max_value) for name in ("lat", "lon")}
_CHANNELS = frozenset(Case.Channel.values)
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _plain_text(value) -> str | None:
    """A string as DRF's CharField keeps it (trimmed), or None when it is not plainly acceptable
    (not a string, a NUL, a lone surrogate): the serializer then decides."""
    if type(value) is not str:
        return None
    value = value.strip()
    if "\x00" in value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return None
    return value


def case_input(body: dict) -> dict | None:
    """The validated data CaseCreateSerializer would give for `body`, without its machinery; None
    whenever the body is anything but plainly valid (the serializer then answers). District codes
    are left to the ordinary way too (they need a lookup and may be refused)."""
    data = {}
    category = _plain_text(body.get("category"))
    if category is None or len(category) > _CATEGORY_MAX or not _SLUG.fullmatch(category):
        return None
    data["category"] = category
    for name, (max_length, required, blank) in _TEXT.items():
        if name not in body:
            if required:
                return None
            data[name] = ""
            continue
        value = _plain_text(body[name])
        if value is None or len(value) > max_length or (not value and not blank):
            return None
        data[name] = value
    if "channel" in body:
        if type(body["channel"]) is not str or body["channel"] not in _CHANNELS:
            return None
        data["channel"] = body["channel"]
    for name, (low, high) in _COORDINATES.items():
        value = body.get(name)
        if value is not None:
            if type(value) not in (int, float) or not low <= value <= high:  # NaN fails too
                return None
            value = float(value)
        data[name] = value
    district = body.get("district", "")
    if district != "":
        return None
    data["district"] = ""
    email = body.get("petitioner_email", "")
    email = _plain_text(email)
    if email is None or len(email) > 320:
        return None
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            return None
    data["petitioner_email"] = email
    confidential = body.get("confidential", False)
    if type(confidential) is not bool:
        return None
    data["confidential"] = confidential
    return data  # keys the serializer does not know it ignores, and so does this


def created_body(submission) -> bytes:
    """SubmissionCreatedSerializer's answer for a submission just stored (pending, no case)."""
    received = timezone.localtime(submission.received_at).isoformat()
    if received.endswith("+00:00"):
        received = received[:-6] + "Z"
    return json.dumps(
        {
            "token": submission.token,
            "status": submission.status,
            "case": None,
            "received_at": received,
            "filed_at": None,
            "errors": {},
            "tracking_code": submission.tracking_code,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def idempotency_key(request) -> str:
    """The client's Idempotency-Key header, trimmed ("" without one); a 400 when too long."""
    key = request.META.get("HTTP_IDEMPOTENCY_KEY", "").strip()
    if len(key) > s.MAX_IDEMPOTENCY_KEY:
        raise ValidationError(
            {"Idempotency-Key": [_("The Idempotency-Key header may be at most 64 characters.")]}
        )
    return key


def scoped_key(user, key: str) -> str | None:
    """A client's Idempotency-Key, scoped to the caller (two systems may choose the same key)."""
    return f"api:{user.pk}:{key}" if key else None


def default_channel(user) -> str:
    if user.role == Role.CALL_AGENT:
        return Case.Channel.PHONE
    return Case.Channel.OPEN311 if user.role == Role.SYSTEM else Case.Channel.WEB


def accept(request) -> HttpResponse | None:
    """See _accept; while it runs, a commit under way may wait for this submission (group commit)."""
    with submissions.committer.expecting():
        return _accept(request)


def _accept(request) -> HttpResponse | None:
    """Answer a connected system's valid submission (202), or None for the ordinary way: no key or
    a bad one, a body that is not a JSON object of plain valid values, a district code, a retry
    with a known Idempotency-Key."""
    raw = key_in_header(request.META.get("HTTP_AUTHORIZATION", ""))
    if not raw or request.content_type != "application/json":
        return None
    try:
        key = idempotency_key(request)
    except ValidationError:
        return None
    user = user_for_key(raw)
    if user is None or refuse_write_reason(user, "POST") or not check(user, "petitions.submit_queued"):
        return None  # the ordinary way refuses it with the reason (401, or 403 for a read-only key)
    try:
        body = jsonlimits.loads(request.body)
    except ValueError:  # invalid or too deep (jsonlimits.JSONTooDeep): the API view answers 400
        return None
    if type(body) is not dict:
        return None
    data = case_input(body)
    if data is None:
        return None
    category = selectors.leaf_category(data.pop("category"))
    if category is None:
        return None
    del data["district"]
    data.setdefault("channel", default_channel(user))
    ip_address = client_ip(request)
    acting = context.set_current(user, ip_address)
    try:
        submission, created = services.submit_case(
            actor=user,
            category=category,
            data=data,
            idempotency_key=scoped_key(user, key),
            ip_address=ip_address,
        )
    except DjangoValidationError:
        return None
    finally:
        context.reset(acting)
    if not created:
        return None  # a retry with a known key: the ordinary way answers 200 with that submission
    response = HttpResponse(created_body(submission), status=202, content_type="application/json")
    response["Vary"] = "Accept"
    return response
