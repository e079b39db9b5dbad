"""Uploaded images are measured from their header before anything decodes them, and then
decoded whole: a truncated or corrupt file is refused."""

from __future__ import annotations

import pytest
from PIL import ImageFile

from eraati.core import images
from eraati.core.images import MAX_SIDE, ImageCheckError, check_image, readable_image
from tests.factories import image_file, png_header


def test_a_small_png_or_jpeg_is_measured():
    assert check_image(image_file("PNG", 5, 3)) == (5, 3)
    assert check_image(image_file("JPEG", 7, 2)) == (7, 2)


def test_the_limits_are_4000_pixels_a_side_and_16_megapixels():
    assert (images.MAX_SIDE, images.MAX_PIXELS) == (4000, 16_000_000)


def test_the_largest_allowed_size_is_accepted():
    assert check_image(image_file("PNG", MAX_SIDE, MAX_SIDE)) == (MAX_SIDE, MAX_SIDE)


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
def test_too_many_pixels_are_refused_from_the_header(data):
    # The header-only PNGs hold no pixels: "too many pixels", not "damaged", shows that
    # the size was decided before any decoding.
    with pytest.raises(ImageCheckError) as error:
        check_image(data)
    assert error.value.code == "too_many_pixels"


def test_the_area_is_limited_on_its_own(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 99)
    with pytest.raises(ImageCheckError) as error:
        check_image(png_header(10, 10))  # each side within MAX_SIDE
    assert error.value.code == "too_many_pixels"


@pytest.mark.parametrize(
    "data", [b"", b"GIF89a\x01\x00\x01\x00", b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, b"\xff\xd8\xff"]
)
def test_what_is_not_a_readable_png_or_jpeg_is_refused(data):
    with pytest.raises(ImageCheckError) as error:
        check_image(data)
    assert error.value.code == "not_image"


def _cut(fmt: str) -> bytes:
    whole = image_file(fmt, 300, 200)
    return whole[: len(whole) // 2]


@pytest.mark.parametrize("lenient", [False, True], ids=["pillow-default", "after-weasyprint"])
@pytest.mark.parametrize(
    "data",
    [_cut("PNG"), _cut("JPEG"), png_header(10, 10)],
    ids=["truncated-png", "truncated-jpeg", "header-only-png"],
)
def test_a_truncated_or_corrupt_image_is_refused(monkeypatch, data, lenient):
    # WeasyPrint sets LOAD_TRUNCATED_IMAGES for the whole process when it is imported.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", lenient)
    with pytest.raises(ImageCheckError) as error:
        check_image(data)
    assert error.value.code == "damaged"
    assert not readable_image(data)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is lenient  # put back


def test_a_whole_image_is_readable():
    assert readable_image(image_file("PNG", 3, 3))
    assert not readable_image(b"")
