"""API errors as JSON, in the language of the request (zh-Hant by default):

    {"detail": "輸入的資料有誤，請依欄位訊息修正。", "errors": {"start": ["日期格式錯誤…"]}}

`detail` is one sentence for people; `errors` maps each field to its messages (on 400 only). The
errors of a list's items or of nested objects are flattened into the field's messages, named by
item and field: {"criteria": ["第 2 項: weight: …"]}.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from rdec.core.workdays import CalendarRangeError


def _django_errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _messages(value) -> list[str]:
    """A field's errors as a flat list of messages: a list's or a nested serializer's errors (DRF gives
    them as {index: [...]} or [{field: [...]}, ...]) are named by their item (1-based) and field, so
    that `errors` always maps a field to its messages, as the API description says."""
    if isinstance(value, dict):
        found = []
        for key, inner in value.items():
            label = (
                _("Item %(n)s") % {"n": int(key) + 1}
                if isinstance(key, int) or str(key).isdigit()
                else str(key)
            )
            found += [f"{label}: {m}" for m in _messages(inner)]
        return found
    if isinstance(value, list | tuple):
        found = []
        for index, inner in enumerate(value):
            if isinstance(inner, dict | list | tuple):
                if inner:
                    label = _("Item %(n)s") % {"n": index + 1}
                    found += [f"{label}: {m}" for m in _messages(inner)]
            else:
                found.append(str(inner))
        return found
    return [str(value)]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_errors(exc))
    elif isinstance(exc, CalendarRangeError):
        exc = exceptions.ValidationError({"non_field_errors": [str(exc)]})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        errors = {field: _messages(value) for field, value in detail.items()}
        response.data = {
            "detail": _("The input is not valid. Please correct the fields listed."),
            "errors": errors,
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response


def json_error(status_code: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status_code, json_dumps_params={"ensure_ascii": False})


def bad_request(errors: dict) -> Response:
    return Response(
        {"detail": _("The input is not valid. Please correct the fields listed."), "errors": errors},
        status=status.HTTP_400_BAD_REQUEST,
    )
