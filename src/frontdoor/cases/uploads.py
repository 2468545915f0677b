"""Checking files people give us before they are stored on a case.

The type is decided by the file's content, never its name or the browser's claim, so a
program renamed `photo.jpg` is refused; images must also decode. Limits are the same on
every channel (portal, console, email, Open311, API).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from io import BytesIO

import filetype
from PIL import Image, UnidentifiedImageError

from frontdoor.core.errors import InvalidInput

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/pdf": "pdf",
}
IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
ALLOWED_DESCRIPTION = "a photo (JPG, PNG, GIF, WEBP or HEIC) or a PDF"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def check_upload(*, name: str, content: bytes, field: str = "file") -> CheckedFile:
    """The file, if it is an allowed type by its content and within the size limit."""
    if not content:
        raise InvalidInput(field, "empty", "The selected file is empty")
    if len(content) > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        raise InvalidInput(field, "too_big", f"The selected file must be smaller than {limit}MB")
    kind = filetype.guess(content)
    content_type = kind.mime if kind is not None else ""
    if content_type not in ALLOWED_TYPES:
        raise InvalidInput(field, "wrong_type", f"The selected file must be {ALLOWED_DESCRIPTION}")
    if content_type in IMAGE_TYPES:
        try:
            with Image.open(BytesIO(content)) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise InvalidInput(
                field, "unreadable", "The selected photo could not be opened: try another"
            ) from None
    return CheckedFile(
        name=_safe_name(name, ALLOWED_TYPES[content_type]),
        content=content,
        content_type=content_type,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _safe_name(name: str, extension: str) -> str:
    """A display name without paths or control characters, ending in the real extension."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(". ")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{(stem or 'file')[:100]}.{extension}"
