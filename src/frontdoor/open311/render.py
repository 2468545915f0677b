"""Open311 documents in XML (required) and JSON, from one neutral shape.

A document is a root name and a body: a dict (child elements in order), a list (repeated
child elements named by LIST_ITEMS) or a scalar. XML has no attributes and no namespace and
starts with the declaration GeoReport v2 shows; JSON drops the root ("Spark convention"), so
lists become top-level arrays.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
# The element each list holds (GeoReport v2, Service Discovery and mySociety's names).
LIST_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "groups": "group",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(fmt: str, root: str, body: Any, *, status: int = 200) -> HttpResponse:
    """The document as an HTTP response in `fmt` (xml or json)."""
    if fmt == "json":
        content = json.dumps(body, ensure_ascii=False, indent=None).encode()
    else:
        content = xml_document(root, body)
    return HttpResponse(content, status=status, content_type=FORMATS[fmt])


def xml_document(root: str, body: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, body)
    return (XML_DECLARATION + ET.tostring(element, encoding="unicode") + "\n").encode()


def errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    """GeoReport v2's error list: `<errors><error><code/><description/>` or a JSON array."""
    body = [{"code": status, "description": text} for text in descriptions]
    return render(fmt, "errors", body, status=status)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for name, child in value.items():
            _fill(ET.SubElement(element, name), child)
    elif isinstance(value, list):
        item = LIST_ITEMS.get(element.tag, element.tag.removesuffix("s"))
        for child in value:
            _fill(ET.SubElement(element, item), child)
    elif value is None:
        return
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = _NOT_XML.sub("", str(value))
