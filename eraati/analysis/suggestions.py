"""Suggested themes: from the comments a moderator has tagged, which themes the untagged
comments are probably about, each with its confidence. Nothing is tagged here: a
moderator accepts or rejects each suggestion (``eraati.curation`` suggestions page), and
a rejected one is never offered again.

The model is the plain one that works on a few dozen examples: each comment as TF-IDF
weights of its content lemmas (``analysis.text``: "pysäkille" and "pysäkit" are one
word, stop words left out) and of their letter sequences, and for each theme a logistic
regression of "has this theme" against the other tagged comments (one-vs-rest, since a
comment may have several themes). Logistic regression gives a probability, not only a
score, so "87 %" means about what it says on comments like the training ones (measured
on the generated set: the mean confidence of the top suggestion is within a few points
of its accuracy); it is deterministic (liblinear, fixed order of the examples).

The comments a moderator tagged teach the model; an untagged comment is not "not this
theme" but "not looked at yet", so it counts only a tenth as a counter-example (see
``ThemeModel``). A theme with fewer than ``MIN_EXAMPLES`` tagged
comments gets no suggestions (the page says so), nor does one that every tagged comment
has (nothing to tell it from).

The computation runs in the background (``runs.py``, kind ``themes``); ``compute`` reads
the database, ``suggest`` is the pure part the tests measure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from eraati.analysis.keywords import keywords
from eraati.analysis.text import content_lemmas

MIN_EXAMPLES = 5
# Suggestions at least this likely are shown (``THEME_SUGGESTION_THRESHOLD`` setting).
THRESHOLD = 0.5
# At most this many suggestions per comment, the likeliest first.
PER_COMMENT = 3
# How much the letter sequences weigh beside the whole lemmas. Chosen on the generated set
# (tests/analysis/test_suggestions.py): at half weight, fewer suggestions for comments of
# themes the model never saw, the same accuracy.
LETTER_WEIGHT = 0.5
# How much an untagged comment counts as "not this theme", beside a tagged one (ThemeModel).
UNTAGGED_WEIGHT = 0.1


@dataclass(frozen=True)
class Text:
    """A comment as the model sees it."""

    id: int
    text: str
    language: str
    themes: frozenset[int] = field(default_factory=frozenset)


def _identity(tokens: list[str]) -> list[str]:
    return tokens


class ThemeModel:
    """One-vs-rest logistic regressions over TF-IDF of content lemmas and of their letter
    sequences (4 to 6 letters, weighing half as much as the words): Finnish and Swedish
    join words into compounds ("bussipysäkki", "busshållplats") that the lemmatiser keeps
    whole, and the letters let "pysäkki" in one comment meet "bussipysäkki" in another.

    The untagged comments count as weak counter-examples of every theme
    (``UNTAGGED_WEIGHT``): without them a theme's model learns only "not like the other
    themes", and suggests it for any comment unlike those, such as all the comments of a
    theme nobody has tagged yet (on the generated set, with three of six themes learnt,
    half of the suggestions shown were wrong; with them, about one in ten)."""

    def __init__(self, *, c: float = 3.0) -> None:
        self.c = c
        self.words = None
        self.letters = None
        self.models: dict[int, object] = {}

    @staticmethod
    def tokens(item: Text) -> list[str]:
        return content_lemmas(item.text, item.language)

    def _matrix(self, items: Sequence[Text], *, fit: bool = False):
        from scipy.sparse import hstack

        tokens = [self.tokens(i) for i in items]
        joined = [" ".join(t) for t in tokens]
        if fit:
            words, letters = self.words.fit_transform(tokens), self.letters.fit_transform(joined)
        else:
            words, letters = self.words.transform(tokens), self.letters.transform(joined)
        return hstack([words, LETTER_WEIGHT * letters]).tocsr()

    def fit(
        self, examples: Sequence[Text], themes: Iterable[int], untagged: Sequence[Text] = ()
    ) -> ThemeModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.words = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
        self.letters = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 6), sublinear_tf=True)
        items = [*examples, *untagged]
        x = self._matrix(items, fit=True)
        weights = [1.0] * len(examples) + [UNTAGGED_WEIGHT] * len(untagged)
        for theme in themes:
            y = [int(theme in e.themes) for e in items]
            # Unweighted classes: the intercept keeps the theme's share, so a comment
            # unlike any tagged one gets a low probability, not a coin toss.
            model = LogisticRegression(C=self.c, solver="liblinear", random_state=0)
            self.models[theme] = model.fit(x, y, sample_weight=weights)
        return self

    def probabilities(self, items: Sequence[Text]) -> list[dict[int, float]]:
        """For each item, {theme: probability that it has the theme}."""
        if not items or self.words is None:
            return [{} for _ in items]
        x = self._matrix(items)
        columns = {theme: model.predict_proba(x)[:, 1] for theme, model in self.models.items()}
        return [{theme: float(p[row]) for theme, p in columns.items()} for row in range(len(items))]


def trainable(examples: Sequence[Text], themes: Iterable[int], minimum: int) -> dict[int, str]:
    """Why each theme cannot be learnt ("few" examples, "all" comments have it); the
    themes absent from the answer can."""
    reasons = {}
    for theme in themes:
        have = sum(1 for e in examples if theme in e.themes)
        if have < minimum:
            reasons[theme] = "few"
        elif have == len(examples):
            reasons[theme] = "all"
    return reasons


def suggest(
    examples: Sequence[Text],
    untagged: Sequence[Text],
    themes: Sequence[int],
    *,
    minimum: int = MIN_EXAMPLES,
    threshold: float = THRESHOLD,
    per_comment: int = PER_COMMENT,
    rejected: frozenset[tuple[int, int]] = frozenset(),
) -> tuple[dict[int, list[tuple[int, float]]], dict[int, str]]:
    """({comment id: [(theme, confidence), ...] likeliest first}, {theme: why not learnt}).

    ``rejected`` holds (comment id, theme) pairs a moderator turned down: never again."""
    reasons = trainable(examples, themes, minimum)
    learnt = [t for t in themes if t not in reasons]
    if not learnt or not untagged:
        return {}, reasons
    model = ThemeModel().fit(examples, learnt, untagged)
    out: dict[int, list[tuple[int, float]]] = {}
    for item, probs in zip(untagged, model.probabilities(untagged), strict=True):
        ranked = sorted(
            (
                (theme, p)
                for theme, p in probs.items()
                if p >= threshold and (item.id, theme) not in rejected
            ),
            key=lambda tp: (-tp[1], tp[0]),
        )[:per_comment]
        if ranked:
            out[item.id] = ranked
    return out, reasons


# --- the background computation (runs.ANALYSERS) ----------------------------------------------


def _language(comment_language: str | None, topic_language: str) -> str:
    return comment_language if comment_language in ("fi", "sv", "en") else topic_language


def compute(topic_id: int, progress: Callable[[str, float], None]) -> dict:
    """The suggestions of a topic as plain JSON: ``{"suggestions": [{"comment_id",
    "theme_id", "confidence"}...], "themes": {theme id: {"examples": n, "reason":
    None|"few"|"all"}}, "keywords": {theme id: [word, ...]}, "minimum": n, "threshold":
    t}``. Each theme's keywords contrast its tagged comments with the topic's other
    shown comments (``keywords.keywords``)."""
    from eraati.consultations.models import Comment, CommentStatus, Theme, Topic, comment_themes
    from eraati.curation.models import SuggestionDecision
    from eraati.extensions import db

    topic = db.session.get(Topic, topic_id)
    if topic is None:
        return {"suggestions": [], "themes": {}}
    first = topic.organisation.primary_language
    minimum = int(current_app.config.get("THEME_SUGGESTION_MIN_EXAMPLES", MIN_EXAMPLES))
    threshold = float(current_app.config.get("THEME_SUGGESTION_THRESHOLD", THRESHOLD))
    themes = list(
        db.session.scalars(sa.select(Theme.id).where(Theme.topic_id == topic_id).order_by(Theme.id))
    )
    progress("reading", 0.1)
    tags: dict[int, set[int]] = {}
    for comment_id, theme_id in db.session.execute(
        sa.select(comment_themes.c.comment_id, comment_themes.c.theme_id)
        .join(Comment, Comment.id == comment_themes.c.comment_id)
        .where(Comment.topic_id == topic_id)
    ):
        tags.setdefault(comment_id, set()).add(theme_id)
    examples, untagged = [], []
    for comment_id, body, language in db.session.execute(
        sa.select(Comment.id, Comment.body, Comment.language)
        .where(Comment.topic_id == topic_id, Comment.status == CommentStatus.VISIBLE)
        .order_by(Comment.id)
    ):
        item = Text(
            comment_id, body, _language(language, first), frozenset(tags.get(comment_id, ()))
        )
        (examples if item.themes else untagged).append(item)
    rejected = frozenset(
        db.session.execute(
            sa.select(SuggestionDecision.comment_id, SuggestionDecision.theme_id)
            .join(Comment, Comment.id == SuggestionDecision.comment_id)
            .where(Comment.topic_id == topic_id)
        ).tuples()
    )
    progress("learning", 0.4)
    found, reasons = suggest(
        examples, untagged, themes, minimum=minimum, threshold=threshold, rejected=rejected
    )
    progress("keywords", 0.8)
    words = keywords(
        {theme: [(e.text, e.language) for e in examples if theme in e.themes] for theme in themes},
        background=[(u.text, u.language) for u in untagged],
    )
    progress("done", 1.0)
    return {
        "keywords": {str(theme): words[theme] for theme in themes},
        "suggestions": [
            {"comment_id": cid, "theme_id": theme, "confidence": round(p, 4)}
            for cid in sorted(found)
            for theme, p in found[cid]
        ],
        "themes": {
            str(theme): {
                "examples": sum(1 for e in examples if theme in e.themes),
                "reason": reasons.get(theme),
            }
            for theme in themes
        },
        "minimum": minimum,
        "threshold": threshold,
    }


def stored_keywords(topic_id: int) -> dict[int, list[str]]:
    """{theme id: its keywords} of the topic's last computed themes analysis (one query;
    empty before the first)."""
    from eraati.analysis.models import AnalysisKind
    from eraati.analysis.runs import analysis_of

    stored = analysis_of(topic_id, AnalysisKind.THEMES)
    found = ((stored.result if stored else None) or {}).get("keywords", {})
    return {int(theme): list(words) for theme, words in found.items()}


def inputs_at(topic_id: int) -> datetime | None:
    """The newest change a suggestion depends on: a comment written, edited, hidden or
    restored, a theme made or removed, a tag set, a suggestion decided. Tags have no time
    of their own; the audit log has one row per act on the topic's comments and themes.
    None for a topic without themes: there is nothing to compute."""
    from eraati.audit.models import AuditEvent
    from eraati.consultations.models import Comment, Theme, Topic
    from eraati.curation.models import SuggestionDecision
    from eraati.extensions import db

    topic = db.session.get(Topic, topic_id)
    if topic is None or not db.session.scalar(
        sa.select(sa.exists().where(Theme.topic_id == topic_id))
    ):
        return None  # nothing to suggest: no computation is asked for
    times = list(
        db.session.execute(
            sa.select(
                sa.func.max(Comment.created_at),
                sa.func.max(Comment.edited_at),
                sa.func.max(Comment.hidden_at),
                sa.func.max(Comment.reviewed_at),
            ).where(Comment.topic_id == topic_id)
        ).one()
    )
    times.append(
        db.session.scalar(
            sa.select(sa.func.max(Theme.created_at)).where(Theme.topic_id == topic_id)
        )
    )
    times.append(
        db.session.scalar(
            sa.select(sa.func.max(SuggestionDecision.decided_at))
            .join(Comment, Comment.id == SuggestionDecision.comment_id)
            .where(Comment.topic_id == topic_id)
        )
    )
    comment_ids = sa.select(Comment.id).where(Comment.topic_id == topic_id).scalar_subquery()
    theme_ids = sa.select(Theme.id).where(Theme.topic_id == topic_id).scalar_subquery()
    times.append(
        db.session.scalar(
            sa.select(sa.func.max(AuditEvent.created_at)).where(
                AuditEvent.organisation_id == topic.organisation_id,
                sa.or_(
                    sa.and_(
                        AuditEvent.target_type == "Comment", AuditEvent.target_id.in_(comment_ids)
                    ),
                    sa.and_(AuditEvent.target_type == "Theme", AuditEvent.target_id.in_(theme_ids)),
                    # A deleted theme's row is gone; its audit row names the topic.
                    sa.and_(
                        AuditEvent.action == "theme.delete",
                        AuditEvent.details["topic_id"].as_integer() == topic_id,
                    ),
                ),
            )
        )
    )
    known = [t for t in times if t is not None]
    return max(known) if known else None
