"""A reusable check for every HTML page Front Door serves.

`check_page(html)` fails the test with every problem it finds:
- the document is not valid HTML5: every parse error html5lib reports (strict mode would
  stop at the first; this collects them all, with line and column);
- `<html>` has no `lang`;
- there is not exactly one `<h1>`;
- `<title>` does not start with the `<h1>` text ("Error: " may come first, as GOV.UK asks
  when a page shows validation errors);
- an `id` is used twice;
- it says "GOV.UK" or draws the crown (`govuk-footer__crown`, `govuk-logo`): a council's site
  is not GOV.UK.
Returns the parsed document (an ElementTree element) so a test can look further.
"""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ET
from collections import Counter

import html5lib
from html5lib.constants import E as PARSE_ERROR_MESSAGES

NS = "{http://www.w3.org/1999/xhtml}"
CROWN_MARKERS = ("govuk-footer__crown", "govuk-logo", "govuk-header__logotype", "govuk-crest")


class PageProblems(AssertionError):
    pass


def text_of(element: ET.Element) -> str:
    """The element's text as a person reads it: whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())


def parse_errors(html: str) -> list[str]:
    """html5lib's strict-mode parse errors, each with its line and column."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=True)
    parser.parse(html)
    found = []
    for (line, column), code, data in parser.errors:
        message = PARSE_ERROR_MESSAGES.get(code, code)
        with contextlib.suppress(TypeError, KeyError):  # a few messages take no arguments
            message = message % data
        found.append(f"line {line}, column {column}: {message}")
    return found


def check_page(html: str, *, title_contains: str | None = None) -> ET.Element:
    problems: list[str] = []
    errors = parse_errors(html)
    if errors:
        problems.append("not valid HTML5:\n    " + "\n    ".join(errors))
    document = html5lib.parse(html, namespaceHTMLElements=True)

    if not document.get("lang"):
        problems.append("<html> has no lang attribute")

    h1s = document.findall(f".//{NS}h1")
    if len(h1s) != 1:
        problems.append(f"expected exactly one <h1>, found {len(h1s)}")
    title_element = document.find(f"./{NS}head/{NS}title")
    title = text_of(title_element) if title_element is not None else ""
    if not title:
        problems.append("no <title>")
    if len(h1s) == 1:
        h1 = text_of(h1s[0])
        if not h1:
            problems.append("the <h1> is empty")
        elif not title.removeprefix("Error: ").startswith(h1):
            problems.append(f"<title> {title!r} does not start with the <h1> text {h1!r}")
    if title_contains is not None and title_contains not in title:
        problems.append(f"<title> {title!r} does not contain {title_contains!r}")

    ids = Counter(el.get("id") for el in document.iter() if el.get("id"))
    repeated = sorted(name for name, count in ids.items() if count > 1)
    if repeated:
        problems.append(f"duplicate ids: {', '.join(repeated)}")

    if "GOV.UK" in html:
        problems.append('the page says "GOV.UK": a council service is not GOV.UK')
    if "GDS Transport" in html:
        problems.append('the page names "GDS Transport", a font only GOV.UK may use')
    for marker in CROWN_MARKERS:
        if marker in html:
            problems.append(f"the page draws GOV.UK branding ({marker})")

    if problems:
        raise PageProblems("page problems:\n  - " + "\n  - ".join(problems))
    return document
