"""Checks of uploaded images: their pixel size read from the file's header before anything
decodes them, then one full decoding to know the file is whole.

A PNG of 30,000 × 30,000 pixels compresses to a few hundred kilobytes but takes gigabytes
once decoded (by the report's PDF and DOCX, a browser, or Pillow itself): the size in the
header is checked first, and only an image within the limits is decoded. A truncated or
damaged file has a good header but fails to decode: it is refused here, at the upload,
instead of breaking the report later. Every image upload (topic images, organisation
logos) asks ``check_image``.
"""

from __future__ import annotations

import io
import threading
import warnings
from contextlib import contextmanager

from flask_babel import format_number
from flask_babel import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError

# Largest width and height accepted, and the largest area (16 megapixels): far below
# Pillow's own decompression bomb warning (about 89 million pixels), and 4000 px is
# sharper than any page or screen shows a topic image or a logo.
MAX_SIDE = 4000
MAX_PIXELS = 16_000_000

_NOT_READABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


_STRICT = threading.Lock()


@contextmanager
def _strict_decoding():
    """Pillow refuses a truncated file while this lasts. WeasyPrint, once imported (the
    report's PDF), sets Pillow's process-wide ``LOAD_TRUNCATED_IMAGES``, and a truncated
    file then decodes without a word; here it is off for the one ``load()`` and put back
    after (a lock, so that two checks at once put back the right value)."""
    with _STRICT:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


class ImageCheckError(Exception):
    """``code``: "not_image" (not a PNG or JPEG), "damaged" (its header is one, but the
    image does not decode: truncated or corrupt) or "too_many_pixels"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _too_big(width: int, height: int) -> bool:
    return width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS


def check_image(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG or JPEG. The size comes from the header (``Image.open`` is
    lazy and decodes nothing) and is checked before ``load()`` decodes the whole image,
    which a truncated or corrupt file fails. ``ImageCheckError`` if it is not a whole
    PNG or JPEG, or is larger than ``MAX_SIDE`` a side or ``MAX_PIXELS`` in all."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=("PNG", "JPEG")) as image:
                width, height = image.size
                if _too_big(width, height):
                    raise ImageCheckError("too_many_pixels")
                try:
                    with _strict_decoding():
                        image.load()  # the whole file, now that its size is known to be sane
                except _NOT_READABLE as exc:
                    raise ImageCheckError("damaged") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageCheckError("too_many_pixels") from exc
    except _NOT_READABLE as exc:
        raise ImageCheckError("not_image") from exc
    return width, height


def readable_image(data: bytes | None) -> bool:
    """Whether a stored PNG or JPEG decodes whole (the report leaves out one that does
    not). Not the upload's limits: an image stored before them is still used, unless it
    is as large as Pillow's decompression bomb warning."""
    if not data:
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=("PNG", "JPEG")) as image, _strict_decoding():
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, *_NOT_READABLE):
        return False
    return True


def too_many_pixels() -> str:
    """The form's message for "too_many_pixels", the same for every image field."""
    return _(
        "The image has too many pixels. Make it at most %(side)s × %(side)s pixels and try again.",
        side=format_number(MAX_SIDE),
    )


def damaged_image() -> str:
    """The form's message for "damaged", the same for every image field."""
    return _(
        "The image file is damaged or incomplete and cannot be shown. Save the image again "
        "as PNG or JPEG and try again."
    )
