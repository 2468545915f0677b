"""Letters: HTML rendered to an accessible (tagged, PDF/UA-1) PDF, large print, and Braille.

Braille is Unified English Braille grade 2 (contracted), the code the UK adopted in 2015,
translated by liblouis (`en-ueb-g2.ctb`) and laid out as a BRF file ready to emboss:
40 cells a line, 25 lines a page, CRLF line ends, a form feed between pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from frontdoor.core.time import to_london

BRAILLE_TABLE = "en-ueb-g2.ctb"
BRF_CELLS_PER_LINE = 40
BRF_LINES_PER_PAGE = 25
STANDARD_PT = 12
LARGE_PRINT_PT = 18  # RNIB: large print is 16pt or more; 18pt is its usual choice


@dataclass(frozen=True)
class LetterContent:
    council_name: str
    council_phone: str
    address_lines: tuple[str, ...]
    subject: str
    body: str
    language: str
    dated: datetime


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("frontdoor.notifications", "jinja2"),
        autoescape=select_autoescape(["html"]),
    )


def _paragraphs(body: str) -> list[list[str]]:
    blocks = [b.strip() for b in body.replace("\r\n", "\n").split("\n\n")]
    return [[line.strip() for line in b.split("\n") if line.strip()] for b in blocks if b]


def letter_html(letter: LetterContent, *, large_print: bool) -> str:
    font_pt = LARGE_PRINT_PT if large_print else STANDARD_PT
    context: dict[str, Any] = {
        "language": letter.language,
        "council_name": letter.council_name,
        "council_phone": letter.council_phone,
        "address_lines": letter.address_lines,
        "date_text": f"{to_london(letter.dated):%-d %B %Y}",
        "subject": letter.subject,
        "paragraphs": _paragraphs(letter.body),
        "font_pt": font_pt,
        "heading_pt": round(font_pt * 1.35),
    }
    return _environment().get_template("notifications/letter.html").render(context)


def letter_pdf(letter: LetterContent, *, large_print: bool) -> bytes:
    """A tagged PDF/UA-1 letter; large print sets the body at 18pt."""
    from weasyprint import HTML  # imported here: it loads Pango, which only letters need

    pdf = HTML(string=letter_html(letter, large_print=large_print)).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    assert pdf is not None
    return pdf


def translate_to_braille(text: str) -> str:
    """Contracted UEB in ASCII braille (the BRF cell set)."""
    import louis  # Debian python3-louis; scripts/setup links it into the virtualenv

    return str(louis.translateString([BRAILLE_TABLE], text))


def braille_to_text(braille: str) -> str:
    import louis

    return str(louis.backTranslateString([BRAILLE_TABLE], braille.lower()))


def _wrap(cells: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in cells.split():
        while len(word) > width:  # a very long word (a URL) is split with a hyphen
            if current:
                lines.append(current)
                current = ""
            lines.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def braille_lines(letter: LetterContent) -> list[str]:
    """The letter's lines in braille, a blank line between paragraphs (no page layout)."""
    lines: list[str] = []
    blocks = ([[letter.subject]] if letter.subject else []) + _paragraphs(letter.body)
    for block in blocks:
        if lines:
            lines.append("")
        for line in block:
            lines.extend(_wrap(translate_to_braille(line), BRF_CELLS_PER_LINE))
    return lines


def letter_brf(letter: LetterContent) -> bytes:
    """The letter as a BRF file: upper-case ASCII braille, 40x25 pages, CRLF, form feeds."""
    lines = [line.upper() for line in braille_lines(letter)]
    pages = [
        lines[i : i + BRF_LINES_PER_PAGE] for i in range(0, len(lines), BRF_LINES_PER_PAGE)
    ] or [[]]
    text = "\f".join("\r\n".join(page) + "\r\n" for page in pages)
    return text.encode("ascii")
