"""Error pages: JSON under /api/ and /open311/, a page in the user's language elsewhere."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from rdec.core.api.errors import json_error

API_PREFIXES = ("/api/", "/open311/")


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIXES)


def _page(request, status: int, title: str, message: str):
    if _is_api(request):
        return json_error(status, message)
    return render(
        request, "core/error.html", {"title": title, "message": message, "status": status}, status=status
    )


def page_not_found(request, exception=None):
    return _page(request, 404, _("Page not found"), _("The page you asked for does not exist or has moved."))


def permission_denied(request, exception=None):
    return _page(request, 403, _("Not allowed"), _("You do not have permission to see this page."))


def bad_request(request, exception=None):
    return _page(request, 400, _("Bad request"), _("The request could not be understood."))


def bad_request_response(request, message: str):
    """A 400 with `message`: JSON (with the field-error shape) under /api/ and /open311/, a page elsewhere."""
    if _is_api(request):
        from django.http import JsonResponse

        return JsonResponse(
            {"detail": message, "errors": {"non_field_errors": [message]}},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return _page(request, 400, _("Bad request"), message)


DATABASE_RETRY_AFTER_SECONDS = 10


def is_database_unavailable(exception) -> bool:
    from django.db import InterfaceError, OperationalError

    return isinstance(exception, OperationalError | InterfaceError)


def database_unavailable_response(request):
    """503 with Retry-After while the database cannot be reached: JSON under /api/ and /open311/
    (or when JSON is asked for), else a bare page — the usual error page's context would ask the
    database again. Django drops the broken connection when the request finishes
    (close_old_connections), so the next request opens a fresh one."""
    import logging

    from django.http import HttpResponse, JsonResponse

    message = _("The service cannot reach its database just now. Please try again in a moment.")
    if _is_api(request) or "json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": message}, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(
            f'<!doctype html><meta charset="utf-8"><title>503</title><p>{message}</p>',
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    logging.getLogger("rdec.database").warning("database unavailable: %s %s", request.method, request.path)
    return response


def server_error(request):
    """The 500 page; but an error raised because the database is gone — also in a middleware,
    outside any view — is a 503 with Retry-After (the exception is still being handled here)."""
    import sys

    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return _page(
        request, 500, _("Something went wrong"), _("The error has been logged. Please try again later.")
    )
