"""/favicon.ico: browsers ask for it on every site whatever the page links; answered from the
static file so that no page's visit logs a 404 (the pages link the SVG icon too, in base.html)."""

from functools import cache
from pathlib import Path

from django.http import HttpResponse
from django.views.decorators.http import require_GET

ICON = Path(__file__).resolve().parent / "static" / "core" / "favicon.ico"


@cache
def _icon() -> bytes:
    return ICON.read_bytes()


@require_GET
def favicon(request):
    response = HttpResponse(_icon(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response
