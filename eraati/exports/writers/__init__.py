"""File writers. Each is a generator of bytes: the file leaves in pieces while it is
written, and nothing holds a whole topic in memory (XLSX is written to a temporary file
in xlsxwriter's constant-memory mode, then read out in pieces)."""

from __future__ import annotations

import io
from collections.abc import Callable

CHUNK = 64 * 1024
BATCH = 100  # rows converted and written in one go by the text writers (bounds a piece)
# Called with the number of rows written since the last call (a progress bar).
Progress = Callable[[int], None]


def no_progress(_rows: int) -> None:
    return None


class TextSink:
    """Collects text and hands it on as UTF-8 pieces of about ``CHUNK`` bytes."""

    def __init__(self, progress: Progress) -> None:
        self.buffer = io.StringIO()
        self.progress = progress
        self.rows = 0

    def row_done(self) -> None:
        self.rows += 1

    @property
    def full(self) -> bool:
        return self.buffer.tell() >= CHUNK

    def take(self) -> bytes:
        data = self.buffer.getvalue().encode("utf-8")
        self.buffer.seek(0)
        self.buffer.truncate()
        if self.rows:
            self.progress(self.rows)
            self.rows = 0
        return data
