"""The editorial services on their own: counters, duplicates, audit rows in one transaction."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from eraati.consultations import counters
from eraati.consultations.models import Comment, CommentSource, CommentStatus, comment_themes
from eraati.core.time import utcnow
from eraati.curation import services
from tests.consultations.topic_support import count, make_comment
from tests.curation.support import audit, comment_count, make_theme, theme_ids_of


def test_counters_stay_exact_through_every_editorial_act(
    db, open_topic, closed_topic, moderator, resident
):
    """Replies and paper feedback are counted; tags, key marks and themes are not."""
    first = make_comment(open_topic, resident, "Ensimmäinen")
    old = make_comment(closed_topic, resident, "Vanha")
    make_comment(open_topic, resident, "Odottaa", status=CommentStatus.PENDING)
    db.session.commit()
    theme = services.create_theme(open_topic, {"fi": "Teema"}, actor=moderator)
    services.set_comment_themes(first, {theme.id}, actor=moderator)
    services.set_key(first, True, actor=moderator)
    reply, _ = services.post_official_reply(open_topic, first, moderator, "Vastaus")
    services.post_official_reply(closed_topic, old, moderator, "Vastaus vanhaan")
    services.post_official_reply(open_topic, reply, moderator, "Vastaus vastaukseen")
    for source in (CommentSource.PAPER, CommentSource.EVENT):
        services.add_paper_feedback(
            closed_topic,
            moderator,
            "Paperilta",
            received_on=date(2026, 1, 10),
            source=source,
            place="Kirjasto",
        )
    services.delete_theme(theme, actor=moderator)
    db.session.commit()
    assert counters.mismatches() == []
    assert comment_count(open_topic) == 3 and comment_count(closed_topic) == 4
    assert [e.action for e in audit()] == [
        "theme.create",
        "comment.tag",
        "comment.key",
        "comment.official_reply",
        "comment.official_reply",
        "comment.official_reply",
        "paper.add",
        "paper.add",
        "theme.delete",
    ]


def test_a_failed_request_leaves_neither_the_comment_nor_its_count_nor_the_audit_row(
    db, open_topic, moderator
):
    before = comment_count(open_topic)
    services.add_paper_feedback(
        open_topic,
        moderator,
        "Ei tallennu",
        received_on=date(2026, 1, 10),
        source=CommentSource.PAPER,
        place="Kirjasto",
        now=utcnow(),
    )
    db.session.rollback()
    assert comment_count(open_topic) == before
    assert count(Comment) == 0 and audit() == []


def test_paper_feedback_needs_a_paper_or_event_source(db, open_topic, moderator):
    with pytest.raises(ValueError):
        services.add_paper_feedback(
            open_topic,
            moderator,
            "Verkosta?",
            received_on=date(2026, 1, 10),
            source=CommentSource.WEB,
            place="Kirjasto",
        )
    db.session.rollback()
    assert count(Comment) == 0


def test_a_tag_added_by_someone_else_a_moment_ago_is_no_error(
    db, open_topic, comment, theme, moderator
):
    """Two moderators tick the same theme at the same moment: one row, no failure."""
    db.session.execute(sa.insert(comment_themes).values(comment_id=comment.id, theme_id=theme.id))
    services._insert_ignoring_duplicates([{"comment_id": comment.id, "theme_id": theme.id}])
    db.session.commit()
    assert theme_ids_of(comment) == {theme.id}
    assert count(comment_themes) == 1


def test_themes_of_a_comment_are_replaced_not_added(db, open_topic, comment, moderator):
    a, b, c = (make_theme(open_topic, name, position=i) for i, name in enumerate("ABC"))
    services.set_comment_themes(comment, {a.id, b.id}, actor=moderator)
    added, removed = services.set_comment_themes(comment, {b.id, c.id}, actor=moderator)
    db.session.commit()
    assert (added, removed) == ({c.id}, {a.id})
    assert theme_ids_of(comment) == {b.id, c.id}
    assert {t.id for t in comment.themes} == {b.id, c.id}  # the relationship sees it too


def test_a_key_mark_on_a_hidden_comment_can_still_be_removed(db, open_topic, resident, moderator):
    hidden = make_comment(
        open_topic, resident, "Piilossa", status=CommentStatus.HIDDEN, is_key=True
    )
    db.session.commit()
    with pytest.raises(services.CommentNotVisibleError):
        services.set_key(hidden, True, actor=moderator)
    assert services.set_key(hidden, False, actor=moderator) is True
    db.session.commit()
    assert hidden.is_key is False


def test_a_theme_deleted_a_moment_ago_refuses_the_whole_save(
    db, open_topic, comment, theme, other_theme, moderator
):
    """The view checks the themes first; a delete between that check and the insert is
    caught here, and nothing of the save stays (the view rolls back)."""
    gone = other_theme.id
    services.delete_theme(other_theme, actor=moderator)
    db.session.commit()
    with pytest.raises(services.ThemeGoneError):
        services.set_comment_themes(comment, {theme.id, gone}, actor=moderator)
    db.session.rollback()
    assert theme_ids_of(comment) == set()
    assert [e.action for e in audit()] == ["theme.delete"]
