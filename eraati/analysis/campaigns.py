"""Campaign texts: comments that share one text, word for word or nearly.

An organised campaign asks its supporters to send the same letter; on a consultation
page that becomes hundreds of comments with one text, some with a word or a sentence
changed. The moderators see them as one group ("412 comments share one text") and can
review it; the report still counts every one of them as a resident's voice and says how
many were one shared text. Nothing here changes a comment.

How texts are compared:

- **Normalised text**: Unicode NFC, case folded, only the words kept (``text.words``:
  punctuation and whitespace do not count), joined by single spaces. Two comments with
  the same normalised text are *exact* duplicates: they are grouped by a hash (BLAKE2b)
  of it, in one pass.
- **Near duplicates**: each distinct normalised text of at least ``MIN_NEAR_WORDS``
  words becomes the set of its word pairs (2-word shingles), summarised by a MinHash
  signature of ``PERMUTATIONS`` values (NumPy, multiply-shift hashes with a fixed seed,
  computed in batches; the low 16 bits of each minimum are kept, b-bit MinHash).
  Locality-sensitive hashing (``BANDS`` bands of ``ROWS`` values) finds the candidates
  that share a band; each candidate is verified by the share of equal signature values
  (an estimate of the Jaccard similarity of the word-pair sets, within about ±0.04)
  against ``NEAR_THRESHOLD`` (0.7: one word changed in a 20-word letter leaves 0.8, a
  sentence added to a 30-word letter about 0.85), and verified pairs are joined with
  union-find. Within one bucket each text is compared with the bucket's most sent text
  (and the ones left over with the next), never every pair with every other: the work
  grows with the number of comments, not with its square (benchmark A4). Word pairs,
  not triples: with triples one changed word breaks three of a short letter's shingles.

Short texts: "Kannatan.", "Samaa mieltä" or "Hyvä idea!" are written by many people
independently, so a shared short text is no sign of a campaign (many are in any large
consultation). A text must have at least
``MIN_EXACT_WORDS`` words to form an exact group and ``MIN_NEAR_WORDS`` words to be
compared for near duplicates (with fewer words a changed word is too large a share of the
text to tell a variant from a different opinion). A group is shown from ``MIN_GROUP``
comments (``CAMPAIGN_MIN_GROUP`` in the configuration). Grouped are the residents' shown
comments and those waiting for review, not hidden ones nor the organisation's replies.

Everything is deterministic: the hashes are CRC-32 and BLAKE2b (not Python's salted
``hash``), the permutations come from a fixed seed, and groups are ordered by size and
first comment.
"""

from __future__ import annotations

import hashlib
import zlib
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import chain

import numpy as np
import sqlalchemy as sa

from eraati.analysis.text import words
from eraati.extensions import db

MIN_EXACT_WORDS = 6
MIN_NEAR_WORDS = 10
MIN_GROUP = 3
SHINGLE = 2
PERMUTATIONS = 128
BANDS = 32
ROWS = PERMUTATIONS // BANDS
NEAR_THRESHOLD = 0.7
SEED = 20261207
# Shingles hashed per NumPy batch: a batch's work array is this x PERMUTATIONS x 8 bytes.
BATCH_SHINGLES = 16_384
# Leaders tried per LSH bucket before the rest of it is left ungrouped (a bucket of texts
# that are all different from each other would otherwise cost its size squared).
LEADERS_PER_BUCKET = 8
# Words whose hash is remembered (a few MiB at most).
WORD_CACHE = 50_000
# Odd 64-bit constants mixing the word hashes of a shingle into one value.
_MIX = (
    np.uint64(0x9E3779B97F4A7C15),
    np.uint64(0xC2B2AE3D27D4EB4F),
    np.uint64(0x165667B19E3779F9),
)
RESULT_VERSION = 1


def normalise(text: str) -> str:
    """The words of ``text`` (NFC, case folded) joined by single spaces."""
    return " ".join(words(text))


def _text_key(normalised: str) -> bytes:
    return hashlib.blake2b(normalised.encode(), digest_size=16).digest()


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """Multiply-shift hashes ``((a * x + b) mod 2**64) >> 32`` with odd 64-bit ``a``: the
    wrap-around is what makes each one order the shingles differently."""
    rng = np.random.default_rng(SEED)
    a = rng.integers(0, 2**64, size=PERMUTATIONS, dtype=np.uint64, endpoint=False)
    b = rng.integers(0, 2**64, size=PERMUTATIONS, dtype=np.uint64, endpoint=False)
    return a | np.uint64(1), b


@dataclass(frozen=True)
class Group:
    """One shared text: its comments (ids in order), how many distinct normalised texts
    it holds (1: exact), and the comment whose text stands for the group."""

    ids: list[int]
    texts: int
    representative_id: int
    first_at: int  # seconds since the epoch (UTC)
    last_at: int
    writers: int  # distinct registered people
    without_account: int  # comments not tied to an account (anonymous, paper, event)
    # The first few comments with the most common text: the one written in ordinary
    # case stands for the group (``compute``), not one in capitals.
    candidates: tuple[int, ...] = ()

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def exact(self) -> bool:
        return self.texts == 1


class Grouper:
    """Feed comments one at a time (``add``), then ask for the ``groups``. Keeps per
    comment four integers and per distinct long text one signature, never the texts."""

    def __init__(self) -> None:
        self._a, self._b = _permutations()
        self._ids = array("q")
        self._text_of = array("q")  # the comment's distinct-text index
        self._at = array("q")
        self._author = array("q")  # -1: no account
        self._index: dict[bytes, int] = {}
        self._words = array("i")  # per distinct text
        self._copies = array("q")  # per distinct text: how many comments have it
        self._signed = array("q")  # per distinct text: its signature row, or -1
        self._pending: list[tuple[int, list[int]]] = []  # (text index, word hashes)
        self._word_cache: dict[str, int] = {}
        self._pending_shingles = 0
        self._signatures: list[np.ndarray] = []
        self._rows = 0

    def add(self, comment_id: int, text: str, at: int, author: int | None) -> None:
        tokens = words(text)
        key = _text_key(" ".join(tokens))
        index = self._index.get(key)
        if index is None:
            index = len(self._words)
            self._index[key] = index
            self._words.append(len(tokens))
            self._copies.append(0)
            self._signed.append(-1)
            if len(tokens) >= MIN_NEAR_WORDS:
                self._pending.append((index, self._word_hashes(tokens)))
                self._pending_shingles += len(tokens) - SHINGLE + 1
                if self._pending_shingles >= BATCH_SHINGLES:
                    self._sign()
        self._copies[index] += 1
        self._ids.append(comment_id)
        self._text_of.append(index)
        self._at.append(at)
        self._author.append(-1 if author is None else author)

    def _word_hashes(self, tokens: list[str]) -> list[int]:
        """CRC-32 of each word (a cache: a topic's vocabulary is far smaller than its
        words; emptied when it grows large, to bound the memory)."""
        cache = self._word_cache
        if len(cache) > WORD_CACHE:
            cache.clear()
        hashes = list(map(cache.get, tokens))
        if None in hashes:
            for i, token in enumerate(tokens):
                if hashes[i] is None:
                    hashes[i] = cache[token] = zlib.crc32(token.encode())
        return hashes

    def _sign(self) -> None:
        """MinHash signatures of the pending texts, in one NumPy batch: the shingles of
        each text are its runs of ``SHINGLE`` word hashes mixed into one 32-bit value (a
        repeated shingle changes no minimum, so no set is needed)."""
        if not self._pending:
            return
        lengths = np.fromiter((len(h) for _, h in self._pending), dtype=np.int64)
        flat = np.fromiter(
            chain.from_iterable(hashes for _, hashes in self._pending),
            dtype=np.uint64,
            count=int(lengths.sum()),
        )
        mixed = np.zeros(len(flat) - SHINGLE + 1, dtype=np.uint64)
        for k in range(SHINGLE):
            mixed ^= flat[k : len(flat) - SHINGLE + 1 + k] * _MIX[k]
        mixed >>= np.uint64(32)
        # Keep the shingles that lie inside one text.
        ends = np.cumsum(lengths)
        starts = ends - lengths
        inside = np.ones(len(mixed), dtype=bool)
        for k in range(1, SHINGLE):
            cut = ends - k
            inside[cut[cut < len(mixed)]] = False
        shingles = mixed[inside]
        counts = lengths - SHINGLE + 1
        offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
        del mixed, inside, starts
        values = (shingles[:, None] * self._a[None, :] + self._b[None, :]) >> np.uint64(32)
        # The low 16 bits of each minimum (b-bit MinHash): two different minima agree
        # there once in 65,536, and the signatures take half the memory.
        signatures = np.minimum.reduceat(values, offsets, axis=0).astype(np.uint16)
        for row, (index, _) in enumerate(self._pending):
            self._signed[index] = self._rows + row
        self._rows += len(self._pending)
        self._signatures.append(signatures)
        self._pending = []
        self._pending_shingles = 0

    def _near_pairs(self, parent: np.ndarray) -> None:
        """Join near-duplicate texts (union-find over distinct texts, in ``parent``)."""
        self._sign()
        if not self._rows:
            return
        # One array, filled chunk by chunk (never all chunks and the array at once).
        signatures = np.empty((self._rows, PERMUTATIONS), dtype=np.uint16)
        filled = 0
        while self._signatures:
            chunk = self._signatures.pop(0)
            signatures[filled : filled + len(chunk)] = chunk
            filled += len(chunk)
        del chunk
        self._signatures = [signatures]
        text_of_row = np.empty(self._rows, dtype=np.int64)
        signed = np.frombuffer(self._signed, dtype=np.int64)
        has = np.flatnonzero(signed >= 0)
        text_of_row[signed[has]] = has
        needed = int(np.ceil(NEAR_THRESHOLD * PERMUTATIONS))
        # In a bucket the text sent most often leads: a campaign's own text, which each
        # variant resembles more than it resembles another variant.
        copies = np.frombuffer(self._copies, dtype=np.int64)[text_of_row]
        for band in range(BANDS):
            part = np.ascontiguousarray(signatures[:, band * ROWS : (band + 1) * ROWS])
            keys = part.view(np.uint64).reshape(self._rows, ROWS // 4)
            key = keys[:, 0] * np.uint64(0x9E3779B97F4A7C15)
            for column in range(1, keys.shape[1]):
                key = (key ^ keys[:, column]) * np.uint64(0x9E3779B97F4A7C15)
            order = np.argsort(key, kind="stable")
            ordered = key[order]
            edges = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
            starts = np.concatenate(([0], edges))
            ends = np.concatenate((edges, [self._rows]))
            for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
                members = order[start:end]
                members = members[np.argsort(-copies[members], kind="stable")]
                for _ in range(LEADERS_PER_BUCKET):
                    if len(members) < 2:
                        break
                    leader, rest = members[0], members[1:]
                    same = (signatures[rest] == signatures[leader]).sum(axis=1) >= needed
                    for other in rest[same]:
                        _union(parent, int(text_of_row[leader]), int(text_of_row[other]))
                    members = rest[~same]

    def groups(self, min_size: int = MIN_GROUP) -> list[Group]:
        """The groups of at least ``min_size`` comments, largest first."""
        texts = len(self._words)
        if not texts:
            return []
        parent = np.arange(texts, dtype=np.int64)
        self._near_pairs(parent)
        roots = np.fromiter((_find(parent, i) for i in range(texts)), np.int64, count=texts)
        long_enough = np.frombuffer(self._words, dtype=np.int32) >= MIN_EXACT_WORDS
        text_of = np.frombuffer(self._text_of, dtype=np.int64)
        ids = np.frombuffer(self._ids, dtype=np.int64)
        at = np.frombuffer(self._at, dtype=np.int64)
        author = np.frombuffer(self._author, dtype=np.int64)
        chosen = np.flatnonzero(long_enough[text_of])
        group_of = roots[text_of[chosen]]
        sizes = np.bincount(group_of, minlength=texts)
        chosen = chosen[sizes[group_of] >= min_size]
        if not len(chosen):
            return []
        # Comments of one group together, in id order within it.
        chosen = chosen[np.lexsort((ids[chosen], roots[text_of[chosen]]))]
        group_of = roots[text_of[chosen]]
        edges = np.flatnonzero(group_of[1:] != group_of[:-1]) + 1
        found = []
        for members in np.split(chosen, edges):
            member_texts = text_of[members]
            distinct, counts = np.unique(member_texts, return_counts=True)
            common = distinct[np.argmax(counts)]  # the most common text (first on a tie)
            people = author[members]
            same = ids[members][member_texts == common]
            found.append(
                Group(
                    ids=[int(i) for i in ids[members]],
                    texts=len(distinct),
                    representative_id=int(same[0]),
                    candidates=tuple(int(i) for i in same[:5]),
                    first_at=int(at[members].min()),
                    last_at=int(at[members].max()),
                    writers=len(np.unique(people[people >= 0])),
                    without_account=int((people < 0).sum()),
                )
            )
        found.sort(key=lambda g: (-g.size, g.ids[0]))
        return found


def _find(parent: np.ndarray, i: int) -> int:
    root = i
    while parent[root] != root:
        root = parent[root]
    while parent[i] != root:  # path compression
        parent[i], i = root, parent[i]
    return int(root)


def _union(parent: np.ndarray, i: int, j: int) -> None:
    a, b = _find(parent, i), _find(parent, j)
    if a != b:
        parent[max(a, b)] = min(a, b)


def group_texts(
    rows: Iterable[tuple[int, str, int, int | None]], min_size: int = MIN_GROUP
) -> list[Group]:
    """The groups of ``(comment id, text, seconds, author id or None)`` rows."""
    grouper = Grouper()
    for comment_id, text, at, author in rows:
        grouper.add(comment_id, text, at, author)
    return grouper.groups(min_size)


# --- the topic's analysis (runs.ANALYSERS) ----------------------------------------------------


def _seconds(moment: datetime) -> int:
    if moment.tzinfo is None:  # SQLite gives naive UTC
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def _counted():
    """The comments grouped: the residents' comments that are shown or waiting for
    review (a campaign may arrive in a pre-moderated topic's queue), not the
    organisation's official replies."""
    from eraati.consultations.models import Comment, CommentStatus

    return (
        Comment.status.in_((CommentStatus.VISIBLE, CommentStatus.PENDING)),
        Comment.is_official.is_(False),
    )


def compute(topic_id: int, progress: Callable[[str, float], None]) -> dict:
    """The topic's campaign groups as plain JSON, from the comments' plain columns read
    in batches (no ORM objects, no texts kept)."""
    from flask import current_app

    from eraati.consultations.models import Comment

    min_size = int(current_app.config.get("CAMPAIGN_MIN_GROUP", MIN_GROUP))
    grouper = Grouper()
    rows = db.session.execute(
        sa.select(Comment.id, Comment.body, Comment.created_at, Comment.author_id)
        .where(Comment.topic_id == topic_id, *_counted())
        .order_by(Comment.id)
        .execution_options(yield_per=2000)
    )
    count = 0
    for comment_id, body, created_at, author_id in rows:
        grouper.add(comment_id, body, _seconds(created_at), author_id)
        count += 1
    progress("read", 0.6)
    groups = grouper.groups(min_size)
    progress("grouped", 0.9)
    shown = {
        cid: (body, language)
        for cid, body, language in db.session.execute(
            sa.select(Comment.id, Comment.body, Comment.language).where(
                Comment.id.in_([i for g in groups for i in g.candidates])
            )
        )
    }
    groups = [_in_ordinary_case(g, shown) for g in groups]
    return {
        "version": RESULT_VERSION,
        "comments": count,
        "min_size": min_size,
        "groups": [
            {
                "kind": "exact" if g.exact else "near",
                "size": g.size,
                "texts": g.texts,
                "representative_id": g.representative_id,
                "text": shown.get(g.representative_id, ("", None))[0],
                "language": shown.get(g.representative_id, ("", None))[1],
                "first_at": _iso(g.first_at),
                "last_at": _iso(g.last_at),
                "writers": g.writers,
                "without_account": g.without_account,
                "ids": g.ids,
            }
            for g in groups
        ],
    }


def _in_ordinary_case(group: Group, bodies: dict[int, tuple[str, str | None]]) -> Group:
    """The group with a representative written neither all in capitals nor all in small
    letters, when one of its candidates is."""
    for cid in group.candidates:
        body = bodies.get(cid, ("", None))[0]
        if body != body.upper() and body != body.lower():
            return replace(group, representative_id=cid)
    return group


def inputs_at(topic_id: int) -> datetime | None:
    """The newest comment written, edited or deleted in the topic."""
    from eraati.consultations.models import Comment

    newest = db.session.execute(
        sa.select(
            sa.func.max(Comment.created_at),
            sa.func.max(Comment.edited_at),
            sa.func.max(Comment.deleted_at),
        ).where(Comment.topic_id == topic_id)
    ).one()
    moments = [m for m in newest if m is not None]
    return max(moments) if moments else None


# --- reading the stored result (pages, report) ------------------------------------------------


@dataclass(frozen=True)
class StoredGroup:
    """A group as the pages show it, from the stored result."""

    number: int  # its place in the list, 1 = the largest
    exact: bool
    size: int
    representative_id: int
    text: str
    language: str | None
    first_at: datetime
    last_at: datetime
    writers: int
    without_account: int
    ids: list[int]


def stored_groups(result: dict | None) -> list[StoredGroup]:
    """The groups of a stored result, largest first (none for a result of another
    version: the next computation replaces it)."""
    if not result or result.get("version") != RESULT_VERSION:
        return []
    return [
        StoredGroup(
            number=n,
            exact=g["kind"] == "exact",
            size=g["size"],
            representative_id=g["representative_id"],
            text=g["text"],
            language=g.get("language"),
            first_at=datetime.fromisoformat(g["first_at"]),
            last_at=datetime.fromisoformat(g["last_at"]),
            writers=g["writers"],
            without_account=g["without_account"],
            ids=g["ids"],
        )
        for n, g in enumerate(result.get("groups", []), 1)
    ]


def find_group(groups: list[StoredGroup], comment_id: int) -> StoredGroup | None:
    """The group a review address names by its representative comment (stable across
    recomputations while the comment stays in its group), or by any of its comments."""
    for group in groups:
        if group.representative_id == comment_id:
            return group
    for group in groups:
        if comment_id in group.ids:
            return group
    return None


@dataclass(frozen=True)
class CampaignFigures:
    """What the report says: of ``comments`` shown, ``in_groups`` were one of ``groups``
    shared texts, the largest shared by ``largest``."""

    comments: int
    in_groups: int
    groups: int
    largest: int
    computed_at: datetime | None


def report_figures(topic_id: int, shown: int) -> CampaignFigures | None:
    """The campaign figures of the topic's stored result, counting only the comments
    that are still shown (a comment hidden since is no longer in the report). One query
    for the result, one per 5,000 grouped comments; None when nothing was computed."""
    from eraati.analysis.models import AnalysisKind, TopicAnalysis
    from eraati.consultations.models import Comment, CommentStatus

    stored = db.session.scalar(
        sa.select(TopicAnalysis).where(
            TopicAnalysis.topic_id == topic_id, TopicAnalysis.kind == AnalysisKind.CAMPAIGNS
        )
    )
    if stored is None or stored.computed_at is None:
        return None
    groups = stored_groups(stored.result)
    min_size = (stored.result or {}).get("min_size", MIN_GROUP)
    every = [i for g in groups for i in g.ids]
    visible: set[int] = set()
    for start in range(0, len(every), 5000):
        visible.update(
            db.session.scalars(
                sa.select(Comment.id).where(
                    Comment.id.in_(every[start : start + 5000]),
                    Comment.status == CommentStatus.VISIBLE,
                )
            )
        )
    sizes = [n for g in groups if (n := sum(1 for i in g.ids if i in visible)) >= min_size]
    return CampaignFigures(
        comments=shown,
        in_groups=sum(sizes),
        groups=len(sizes),
        largest=max(sizes, default=0),
        computed_at=stored.computed_at,
    )


def review_comments(topic_id: int, ids: list[int]) -> list:
    """One page of a group's comments (their authors loaded with them), in id order."""
    from sqlalchemy.orm import selectinload

    from eraati.consultations.models import Comment

    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(Comment)
            .where(Comment.topic_id == topic_id, Comment.id.in_(ids))
            .options(selectinload(Comment.author))
            .order_by(Comment.id)
        )
    )
