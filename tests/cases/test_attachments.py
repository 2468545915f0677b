"""Files on cases: real photos and PDFs are kept; disguised, oversized or broken files are not."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from frontdoor.cases.actions import add_attachment
from frontdoor.cases.models import Attachment, CaseEvent, EventKind
from frontdoor.cases.uploads import MAX_UPLOAD_BYTES, check_upload
from frontdoor.core.errors import InvalidInput, NotFound
from tests.cases.factories import open_waste_case
from tests.factories import UserFactory


def _jpeg() -> bytes:
    out = BytesIO()
    Image.new("RGB", (8, 8), (120, 80, 40)).save(out, format="JPEG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def test_a_photo_is_recognised_by_its_content_and_named_with_its_real_extension():
    checked = check_upload(name="C:\\Users\\me\\Pictures\\dumped sofa.jpeg", content=_jpeg())
    assert checked.content_type == "image/jpeg"
    assert checked.name == "dumped sofa.jpg"


def test_a_program_renamed_as_a_photo_is_refused():
    with pytest.raises(InvalidInput) as refused:
        check_upload(name="photo.jpg", content=WINDOWS_PROGRAM)
    assert refused.value.code == "wrong_type"


def test_a_truncated_photo_is_refused_as_unreadable():
    with pytest.raises(InvalidInput) as refused:
        check_upload(name="photo.jpg", content=_jpeg()[:40])
    assert refused.value.code == "unreadable"


def test_files_over_the_limit_and_empty_files_are_refused():
    with pytest.raises(InvalidInput) as too_big:
        check_upload(name="scan.pdf", content=PDF + b"0" * MAX_UPLOAD_BYTES)
    assert too_big.value.code == "too_big"
    with pytest.raises(InvalidInput) as empty:
        check_upload(name="scan.pdf", content=b"")
    assert empty.value.code == "empty"


def test_a_staff_upload_is_stored_on_the_case_and_shown_in_its_history(
    council, agent, now, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    case = open_waste_case(by=agent, now=now)
    attachment = add_attachment(case=case, upload=check_upload(name="letter.pdf", content=PDF),
                                source="staff", by=agent, now=now)

    assert attachment.file.read() == PDF
    assert attachment.size == len(PDF)
    event = CaseEvent.objects.get(case=case, kind=EventKind.ATTACHMENT_ADDED)
    assert event.summary == "File added: letter.pdf"


def test_a_resident_cannot_add_files_to_someone_elses_case(council, agent, now, tmp_path,
                                                          settings):
    settings.MEDIA_ROOT = tmp_path
    case = open_waste_case(by=agent, now=now)
    stranger = UserFactory(role="resident")
    with pytest.raises(NotFound):
        add_attachment(case=case, upload=check_upload(name="x.pdf", content=PDF),
                       source="portal", by=stranger, now=now)
    assert Attachment.objects.count() == 0
