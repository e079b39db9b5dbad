"""Checks of uploaded topic files: what the bytes are, not what the browser says.

An image must start like a PNG or a JPEG, with a readable header of sane pixel size
(``core.images``), and an attachment like a PDF; the content type we serve comes from
those first bytes. Sizes are checked while reading, so a
huge upload is never read whole into memory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import IO

from werkzeug.utils import secure_filename

from eraati.consultations.models import FileKind
from eraati.core.images import ImageCheckError, check_image

PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
PDF = b"%PDF-"
IMAGE_MAX_BYTES = 2 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024  # config TOPIC_FILE_MAX_BYTES overrides
FILENAME_MAX = 120


class UploadError(Exception):
    """The upload was refused; ``code`` says why (the form turns it into a message)."""

    def __init__(self, code: str, limit: int = 0) -> None:
        super().__init__(code)
        self.code = code
        self.limit = limit


@dataclass(frozen=True)
class CheckedFile:
    kind: FileKind
    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def _read_at_most(stream: IO[bytes], limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError("too_big", limit)
    return data


def _type_of(data: bytes, kind: FileKind) -> tuple[str, str]:
    """(content type, file extension) from the first bytes; UploadError if not allowed."""
    if kind == FileKind.IMAGE:
        if data.startswith(PNG):
            return "image/png", ".png"
        if data.startswith(JPEG):
            return "image/jpeg", ".jpg"
        raise UploadError("not_image")
    if data.startswith(PDF):
        return "application/pdf", ".pdf"
    raise UploadError("not_pdf")


def safe_filename(original: str | None, extension: str, fallback: str) -> str:
    """An ASCII name for the address and the download, ending in the real type's extension."""
    name = secure_filename(original or "")
    stem, ext = os.path.splitext(name)
    if ext.lower() in (".jpeg", ".jpg") and extension == ".jpg":
        extension = ext.lower()
    stem = stem[: FILENAME_MAX - len(extension)].strip("._-") or fallback
    return stem + extension


def check_upload(
    stream: IO[bytes], original_name: str | None, kind: FileKind, limit: int
) -> CheckedFile:
    """Read and check one uploaded file; UploadError("empty"/"too_big"/"not_image"/"not_pdf"/
    "too_many_pixels"/"damaged")."""
    data = _read_at_most(stream, limit)
    if not data:
        raise UploadError("empty")
    content_type, extension = _type_of(data, kind)
    if kind == FileKind.IMAGE:
        try:
            check_image(data)
        except ImageCheckError as exc:
            raise UploadError(exc.code) from exc
    fallback = "image" if kind == FileKind.IMAGE else "document"
    return CheckedFile(kind, safe_filename(original_name, extension, fallback), content_type, data)
