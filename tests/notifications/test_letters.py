"""Letters: a large-print tagged PDF and a Braille file, made from a real acknowledgement."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from frontdoor.notifications import actions, letters
from frontdoor.notifications.models import Status
from frontdoor.notifications.recipients import Formats, Recipient
from tests.notifications.conftest import ACK_DATA

pytestmark = pytest.mark.django_db

_WORD = re.compile(
    r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>'
)


def _word_heights(pdf: Path) -> list[float]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [float(y2) - float(y1) for y1, y2, _ in _WORD.findall(out)]


def _send_letter(recipient: Recipient, now) -> tuple[Path, dict[str, str]]:
    [message] = actions.queue_message(
        event="contact_acknowledged", recipient=recipient, data=ACK_DATA,
        idempotency_key=f"ack:{recipient.name}", now=now,
    )
    actions.send_message(message_id=message.pk, now=now)
    message.refresh_from_db()
    assert (message.status, message.provider) == (Status.SENT, "print")
    return Path(message.attachments["pdf"]), message.attachments


@pytest.fixture
def mary() -> Recipient:
    return Recipient(
        name="Mary Jones", address_lines=("3 Mill Lane", "Holt", "NR25 6AA"),
        preferred_channel="letter", formats=Formats(large_print=True, braille=True),
    )


def test_a_large_print_letter_is_a_tagged_pdf_with_text_of_16pt_or_more(mary, now, media_root):
    pdf, _ = _send_letter(mary, now)
    path = media_root / pdf
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    meta = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True).stdout
    assert 'pdfuaid:part="1"' in meta  # declares PDF/UA-1
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "We have your request NN-2026-000123" in text
    assert "Monday 12 January 2026" in text
    # DejaVu Sans boxes are 1.164 em tall: every word at 16pt or more is at least 18.6pt tall.
    assert min(_word_heights(path)) >= 16 * 1.164

    standard = Recipient(name="Sid", address_lines=("1 Road", "Cromer"), preferred_channel="letter")
    small, _ = _send_letter(standard, now)
    assert min(_word_heights(media_root / small)) < 16 * 1.164  # the check can tell them apart


def test_a_braille_letter_goes_with_the_print_copy_ready_to_emboss(mary, now, media_root):
    _, attachments = _send_letter(mary, now)
    brf = (media_root / attachments["brf"]).read_bytes()
    pages = brf.decode("ascii").split("\f")
    for page in pages:
        lines = page.split("\r\n")
        assert lines[-1] == ""  # every line ends CRLF
        assert len(lines) - 1 <= letters.BRF_LINES_PER_PAGE
        assert all(len(line) <= letters.BRF_CELLS_PER_LINE for line in lines)
    assert "\n" not in brf.decode().replace("\r\n", "")

    text_lines = [ln for page in pages for ln in page.split("\r\n")]
    paragraphs = " ".join(text_lines).split("  ")
    back = " ".join(letters.braille_to_text(p) for p in paragraphs if p.strip())
    [message] = actions.queue_message(event="contact_acknowledged", recipient=mary,
                                      data=ACK_DATA, idempotency_key=f"ack:{mary.name}", now=now)
    source = f"{message.subject} {message.body}"
    norm = lambda s: " ".join(s.lower().split())  # noqa: E731
    assert norm(back) == norm(source)
    # The post room gets both files for the same envelope.
    outgoing = media_root / "notifications" / "post-room" / "outgoing"
    assert sorted(p.suffix for p in outgoing.iterdir()) == [".brf", ".pdf"]


def test_a_long_letter_breaks_into_braille_pages_of_25_lines(now):
    body = "\n\n".join(f"Paragraph {i}: your bin will be collected on Tuesday." for i in range(30))
    content = letters.LetterContent("Council", "", ("A",), "", body, "en", now)
    pages = letters.letter_brf(content).decode("ascii").split("\f")
    assert len(pages) >= 3
    assert all(page.count("\r\n") == letters.BRF_LINES_PER_PAGE for page in pages[:-1])
