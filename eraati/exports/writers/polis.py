"""A Polis-compatible pair in a zip, so that sense-making tools written for Polis exports
(compdemocracy/openData) can read eRaati data.

``comments.csv``: timestamp, datetime, comment-id, author-id, agrees, disagrees,
moderated, comment-body; as Polis writes it (``server/src/routes/export.ts``): the
timestamp in Unix seconds, the datetime as JavaScript prints it in UTC, moderated 1 for
a shown comment and -1 for one a moderator hid.

``participants-votes.csv``: participant, group-id, n-comments, n-votes, n-agree,
n-disagree, then one column per comment id with the participant's vote: 1 agree,
-1 disagree, 0 pass, empty when they did not vote. eRaati has no opinion groups, so
group-id is empty.

Participants are numbered 0, 1, 2, ... as in Polis: registered people by account, then the
writer of each comment without a registered author. The numbers are new in every export
and say nothing about the accounts. Comment texts are as written: these files are for
analysis programs (only the CSV for Excel neutralises formulas, ``cells``). When the
preparer chose to include hidden comments' texts, the zip's first file, ``NOTICE``, says
so (the two CSV files keep Polis's layout).
"""

from __future__ import annotations

import bisect
import csv
import io
import itertools
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime

from eraati.exports import polis_rows
from eraati.exports.rows import Snapshot
from eraati.exports.tables import LocalTable, Words
from eraati.exports.writers import CHUNK, Progress

COMMENT_COLUMNS = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
NOTICE = "NOTICE.txt"  # the first file when the hidden comments' texts are included
PARTICIPANT_COLUMNS = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")


class _Pipe(io.RawIOBase):
    """A write-only stream: the zip is handed on as it is written (zipfile then writes
    sizes after each member, as it does for any stream it cannot seek in)."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.pieces)
        self.pieces.clear()
        return data


def js_datetime(moment: datetime) -> str:
    """As ``new Date(t).toString()`` prints it on a server in UTC."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


def _csv_member(zf: zipfile.ZipFile, name: str, pipe: _Pipe, lines: Iterator[list]):
    """Write one CSV member from ``lines``; yields pieces of the zip as they fill."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    with zf.open(name, "w") as member:
        for line in lines:
            writer.writerow(line)
            if text.tell() >= CHUNK:
                member.write(text.getvalue().encode("utf-8"))
                text.seek(0)
                text.truncate()
                yield pipe.take()
        member.write(text.getvalue().encode("utf-8"))
    yield pipe.take()


def _comment_lines(snap: Snapshot, progress: Progress) -> Iterator[list]:
    yield list(COMMENT_COLUMNS)
    n = 0
    for n, c in enumerate(polis_rows.comments(snap), start=1):
        yield [
            int(c.created_at.timestamp()),
            js_datetime(c.created_at),
            c.id,
            c.author,
            c.agrees,
            c.disagrees,
            c.moderated,
            c.text,
        ]
        if n % 1000 == 0:
            progress(1000)
    progress(n % 1000)


def _participant_lines(snap: Snapshot) -> Iterator[list]:
    comment_ids = list(polis_rows.comment_ids(snap))  # ids only, sorted
    yield [*PARTICIPANT_COLUMNS, *comment_ids]
    for pid, votes in itertools.groupby(polis_rows.votes(snap), key=lambda v: v.pid):
        cells_ = [""] * len(comment_ids)
        n_comments = n_votes = n_agree = n_disagree = 0
        for vote in votes:
            n_comments = vote.n_comments
            if vote.comment_id is None:
                continue
            cells_[bisect.bisect_left(comment_ids, vote.comment_id)] = vote.vote
            n_votes += 1
            n_agree += vote.vote == 1
            n_disagree += vote.vote == -1
        yield [pid, "", n_comments, n_votes, n_agree, n_disagree, *cells_]


def write_polis(
    snap: Snapshot, tables: tuple[LocalTable, ...], words: Words, progress: Progress
) -> Iterator[bytes]:
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        if snap.hidden_texts:
            zf.writestr(NOTICE, words.notice + "\n")
        yield from _csv_member(zf, "comments.csv", pipe, _comment_lines(snap, progress))
        yield from _csv_member(zf, "participants-votes.csv", pipe, _participant_lines(snap))
    yield pipe.take()
