"""Open311 GeoReport v2 output: the same data as JSON (top-level arrays, the spec's "Spark
convention") or XML (xml.etree), chosen by the URL's extension; errors as the spec's
[{"code", "description"}] / <errors><error>…</error></errors>."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET  # noqa: S405 — we only write XML, never parse it

from django.http import HttpResponse

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# Characters XML 1.0 cannot carry (control characters other than tab, newline, carriage return).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# The child element name of each list wrapper in XML.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_INVALID.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        item_name = ITEM_NAMES.get(element.tag, "item")
        for item in value:
            _fill(ET.SubElement(element, item_name), item)
    else:
        element.text = _text(value)


def to_xml(root: str, data) -> bytes:
    element = ET.Element(root)
    _fill(element, data)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def respond(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    """`data` is what the JSON carries; `root` names the XML document element (e.g. "services"),
    whose children are named after ITEM_NAMES when `data` is a list."""
    if fmt == "xml":
        body = to_xml(root, data)
    else:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    response["Vary"] = "Accept-Language"
    return response


def errors(fmt: str, status: int, *descriptions: str, code: int | None = None) -> HttpResponse:
    """The spec's error body: one {code, description} per problem, with the HTTP status."""
    items = [{"code": code or status, "description": str(d)} for d in descriptions]
    return respond(fmt if fmt in FORMATS else "json", "errors", items, status=status)
