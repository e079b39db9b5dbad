"""Uploaded images are measured from their header before anything decodes them."""

from __future__ import annotations

import pytest

from eraati.core.images import MAX_SIDE, ImageCheckError, check_image
from tests.factories import image_file, png_header


def test_a_small_png_or_jpeg_is_measured():
    assert check_image(image_file("PNG", 5, 3)) == (5, 3)
    assert check_image(image_file("JPEG", 7, 2)) == (7, 2)


def test_the_largest_allowed_size_is_accepted_from_the_header_alone():
    assert check_image(png_header(MAX_SIDE, MAX_SIDE)) == (MAX_SIDE, MAX_SIDE)


@pytest.mark.parametrize(
    "data",
    [
        png_header(30_000, 30_000),  # 900 million pixels in a file of about 100 bytes
        png_header(MAX_SIDE + 1, 1),
        png_header(1, MAX_SIDE + 1),
        image_file("JPEG", MAX_SIDE + 1, 1),
    ],
    ids=["30000x30000", "too-wide", "too-high", "jpeg-too-wide"],
)
def test_too_many_pixels_are_refused(data):
    with pytest.raises(ImageCheckError) as error:
        check_image(data)
    assert error.value.code == "too_many_pixels"


@pytest.mark.parametrize(
    "data", [b"", b"GIF89a\x01\x00\x01\x00", b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, b"\xff\xd8\xff"]
)
def test_what_is_not_a_readable_png_or_jpeg_is_refused(data):
    with pytest.raises(ImageCheckError) as error:
        check_image(data)
    assert error.value.code == "not_image"
