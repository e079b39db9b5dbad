"""Pixel sizes of uploaded images, read from the file's header without decoding it.

A PNG of 30,000 × 30,000 pixels compresses to a few hundred kilobytes but takes gigabytes
once decoded (by the report's PDF and DOCX, a browser, or Pillow itself). Every image
upload (topic images, organisation logos) asks ``check_image`` first.
"""

from __future__ import annotations

import io
import warnings

from flask_babel import format_number
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

# Largest width and height accepted. 6,000 × 6,000 stays below Pillow's own decompression
# bomb warning (about 89 million pixels), so one limit answers every case.
MAX_SIDE = 6000


class ImageCheckError(Exception):
    """``code``: "not_image" (not a readable PNG or JPEG) or "too_many_pixels"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_image(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG or JPEG, read from its header: ``Image.open`` is lazy and
    decodes nothing. ``ImageCheckError`` if it is not one or is larger than ``MAX_SIDE``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=("PNG", "JPEG")) as image:
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageCheckError("too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageCheckError("not_image") from exc
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ImageCheckError("too_many_pixels")
    return width, height


def too_many_pixels() -> str:
    """The form's message for "too_many_pixels", the same for every image field."""
    return _(
        "The image has too many pixels. Make it at most %(side)s × %(side)s pixels and try again.",
        side=format_number(MAX_SIDE),
    )
