"""A Polis-compatible export in a zip, so that sense-making tools written for Polis exports
(compdemocracy/openData, red-dwarf) can read eRaati data. The five files have the columns
of Polis's own export (``server/src/routes/export.ts``):

``comments.csv``: timestamp, datetime, comment-id, author-id, agrees, disagrees,
moderated, comment-body: the timestamp in Unix seconds, the datetime as JavaScript prints
it in UTC, moderated 1 for a shown comment and -1 for one a moderator hid.

``votes.csv``: timestamp, datetime, comment-id, voter-id, vote (1 agree, -1 disagree,
0 pass), by comment and voter. eRaati keeps one vote per person and comment, so the log
has each person's last vote at the time they last changed it.

``participants-votes.csv``: participant, group-id, n-comments, n-votes, n-agree,
n-disagree, then one column per comment id with the participant's vote, empty when they
did not vote. group-id is the participant's opinion group in the topic's last stored
analysis (0 for group A, 1 for B, ...), empty for people who are in no group.

``comment-groups.csv``: comment-id, comment, total-votes, total-agrees, total-disagrees,
total-passes, then group-a-votes, group-a-agrees, group-a-disagrees, group-a-passes and
the same for each further group. As in Polis the totals are the sums over the groups
(the votes of people in no group are left out); a topic without groups has no group
columns, and its totals count every vote.

``summary.csv``: key and value lines: topic, url, voters, voters-in-conv (people in the
groups), commenters, comments, groups, conversation-description.

Participants are numbered 0, 1, 2, ... as in Polis: registered people by account, then the
writer of each comment without a registered author. The numbers are new in every export
and say nothing about the accounts; the groups come from the stored analysis by person,
so the numbers and the groups never reveal an account either. Comment texts are as
written: these files are for analysis programs (only the CSV for Excel neutralises
formulas, ``cells``). When the preparer chose to include hidden comments' texts, the
zip's first file, ``NOTICE``, says so (the CSV files keep Polis's layout).
"""

from __future__ import annotations

import array
import bisect
import csv
import functools
import io
import itertools
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime

from flask import current_app

from eraati.analysis.opinion import member_groups
from eraati.consultations.models import Topic
from eraati.exports import polis_rows
from eraati.exports.rows import Snapshot
from eraati.exports.tables import LocalTable, Words
from eraati.exports.writers import CHUNK, Progress
from eraati.extensions import db

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
VOTE_COLUMNS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
COMMENT_GROUP_COLUMNS = (
    "comment-id",
    "comment",
    "total-votes",
    "total-agrees",
    "total-disagrees",
    "total-passes",
)
GROUP_COLUMNS = ("votes", "agrees", "disagrees", "passes")
# A vote's column among GROUP_COLUMNS' last three (votes is their sum).
_TALLY = {1: 1, -1: 2, 0: 3}


def group_columns(k: int) -> list[str]:
    """group-a-votes, group-a-agrees, ... for ``k`` groups, as Polis names them."""
    return [f"group-{chr(ord('a') + g)}-{what}" for g in range(k) for what in GROUP_COLUMNS]


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


class _Groups:
    """The stored analysis' groups by person, and each comment's votes per group, counted
    while votes.csv is written (comment-groups.csv then needs no second pass): one array
    of comments x groups x (votes, agrees, disagrees, passes)."""

    def __init__(self, snap: Snapshot) -> None:
        self.of = member_groups(snap.topic_id)
        self.k = len(set(self.of.values()))
        self.ids = list(polis_rows.comment_ids(snap))  # sorted
        self.width = max(self.k, 1) * 4
        # A C array, not NumPy: a NumPy item's += costs several times more per vote.
        self.tally = array.array("q", bytes(8 * len(self.ids) * self.width))
        self._last = (None, -1)

    def count(self, comment_id: int, person: int, vote: int) -> None:
        g = self.of.get(person)
        if g is None:
            if self.k:
                return  # in no group: left out, as in Polis
            g = 0
        last_id, i = self._last
        if comment_id != last_id:  # votes come by comment
            i = bisect.bisect_left(self.ids, comment_id)
            self._last = (comment_id, i)
        at = i * self.width + g * 4
        self.tally[at] += 1
        self.tally[at + _TALLY[vote]] += 1

    def of_comment(self, comment_id: int) -> list[int]:
        """votes, agrees, disagrees, passes of each group in turn."""
        at = bisect.bisect_left(self.ids, comment_id) * self.width
        return self.tally[at : at + self.width].tolist()


@functools.lru_cache(maxsize=4096)
def _second(text: str) -> tuple[int, str]:
    """Unix seconds and JavaScript's datetime of a naive UTC "2026-03-01 10:40:00" (votes
    given in the same second share the work)."""
    moment = datetime.fromisoformat(text).replace(tzinfo=UTC)
    return int(moment.timestamp()), js_datetime(moment)


def _vote_lines(snap: Snapshot, groups: _Groups) -> Iterator[list]:
    yield list(VOTE_COLUMNS)
    for v in polis_rows.vote_log(snap):
        groups.count(v.comment_id, v.person, v.vote)
        timestamp, written = _second(v.given_at[:19])
        yield [timestamp, written, v.comment_id, v.pid, v.vote]


def _comment_group_lines(snap: Snapshot, groups: _Groups) -> Iterator[list]:
    yield [*COMMENT_GROUP_COLUMNS, *group_columns(groups.k)]
    for c in polis_rows.comments(snap):
        counts = groups.of_comment(c.id)
        totals = [sum(counts[j::4]) for j in range(4)]
        yield [c.id, c.text, *totals, *(counts if groups.k else [])]


def _summary_lines(snap: Snapshot, groups: _Groups) -> Iterator[list]:
    counts = polis_rows.summary(snap)
    topic = db.session.get(Topic, snap.topic_id)
    text = topic.text(snap.lang) if topic else None
    base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    yield ["topic", snap.title]
    yield ["url", f"{base}/{snap.organisation_slug}/{snap.slug}"]
    yield ["voters", counts.voters]
    yield ["voters-in-conv", len(groups.of)]
    yield ["commenters", counts.commenters]
    yield ["comments", counts.comments]
    yield ["groups", groups.k]
    yield ["conversation-description", text.summary if text else ""]


def _participant_lines(snap: Snapshot, groups: _Groups) -> Iterator[list]:
    comment_ids = list(polis_rows.comment_ids(snap))  # ids only, sorted
    yield [*PARTICIPANT_COLUMNS, *comment_ids]
    for pid, votes in itertools.groupby(polis_rows.votes(snap), key=lambda v: v.pid):
        cells_ = [""] * len(comment_ids)
        n_comments = n_votes = n_agree = n_disagree = 0
        group = ""
        for vote in votes:
            if vote.person is not None:
                group = groups.of.get(vote.person, "")
            n_comments = vote.n_comments
            if vote.comment_id is None:
                continue
            cells_[bisect.bisect_left(comment_ids, vote.comment_id)] = vote.vote
            n_votes += 1
            n_agree += vote.vote == 1
            n_disagree += vote.vote == -1
        yield [pid, group, n_comments, n_votes, n_agree, n_disagree, *cells_]


def write_polis(
    snap: Snapshot, tables: tuple[LocalTable, ...], words: Words, progress: Progress
) -> Iterator[bytes]:
    pipe = _Pipe()
    groups = _Groups(snap)
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        if snap.hidden_texts:
            zf.writestr(NOTICE, words.notice + "\n")
        yield from _csv_member(zf, "comments.csv", pipe, _comment_lines(snap, progress))
        yield from _csv_member(zf, "votes.csv", pipe, _vote_lines(snap, groups))
        yield from _csv_member(zf, "participants-votes.csv", pipe, _participant_lines(snap, groups))
        yield from _csv_member(zf, "comment-groups.csv", pipe, _comment_group_lines(snap, groups))
        yield from _csv_member(zf, "summary.csv", pipe, _summary_lines(snap, groups))
    yield pipe.take()
