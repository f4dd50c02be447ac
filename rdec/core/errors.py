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


def server_error(request):
    return _page(
        request, 500, _("Something went wrong"), _("The error has been logged. Please try again later.")
    )
