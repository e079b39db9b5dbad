"""The test client reads a page's text as a person does: without the soft hyphens that
headings carry in their long words (``eraati/core/hyphens.py``; shown only where a line
breaks). ``get_data()`` without ``as_text`` still gives the bytes as sent."""

from __future__ import annotations

from flask import Response
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

SOFT_HYPHEN = "\u00ad"


class ReadResponse(TestResponse, Response):
    """A response whose text is read without soft hyphens."""

    def get_data(self, as_text: bool = False):
        data = super().get_data(as_text)
        return data.replace(SOFT_HYPHEN, "") if as_text else data


class ReadingClient(FlaskClient):
    """``app.test_client_class``: every response is a ``ReadResponse``."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(args[0], ReadResponse, *args[2:], **kwargs)
