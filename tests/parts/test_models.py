"""Parts: their order, what deleting them does, and where a comment on one belongs."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from eraati.consultations import services as topic_services
from eraati.consultations.models import Comment, Topic
from eraati.extensions import db
from eraati.parts import services
from eraati.parts.models import TopicPart, TopicPartText
from tests.parts.support import comment_on, make_parts


def _titles(topic):
    parts = db.session.scalars(
        sa.select(TopicPart).where(TopicPart.topic_id == topic.id).order_by(TopicPart.position)
    )
    return [(p.position, p.text_in("fi").title) for p in parts]


def test_parts_are_numbered_in_order_and_a_place_is_taken_once(open_topic):
    make_parts(open_topic, 3)
    db.session.commit()
    assert _titles(open_topic) == [(1, "Osa 1"), (2, "Osa 2"), (3, "Osa 3")]
    db.session.add(TopicPart(topic_id=open_topic.id, position=2))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_text_is_stored_sanitised_and_one_per_language(open_topic):
    part = services.add_part(open_topic, {"fi": ("Osa", "Rivi\n\nToinen"), "sv": ("", "")})
    db.session.commit()
    assert [t.locale for t in part.texts] == ["fi"]
    assert part.text_in("fi").body == "<p>Rivi</p>\n<p>Toinen</p>"
    services.update_part(part, {"fi": ("Osa", "<p>Rivi<script>x()</script></p>")})
    assert part.text_in("fi").body == "<p>Rivi</p>"
    db.session.add(TopicPartText(part_id=part.id, locale="fi", title="Toinen", body=""))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_moving_swaps_and_deleting_closes_the_gap(open_topic):
    first, _second, third = make_parts(open_topic, 3)
    assert services.move_part(third, -1)
    assert not services.move_part(first, -1)
    db.session.commit()
    assert _titles(open_topic) == [(1, "Osa 1"), (2, "Osa 3"), (3, "Osa 2")]
    services.delete_part(first)
    db.session.commit()
    assert _titles(open_topic) == [(1, "Osa 3"), (2, "Osa 2")]


def test_a_part_with_comments_is_not_deleted(open_topic, resident):
    part, other = make_parts(open_topic, 2)
    comment_on(open_topic, part, resident)
    db.session.commit()
    with pytest.raises(services.PartHasCommentsError):
        services.delete_part(part)
    db.session.rollback()
    # ... and the database refuses it too.
    with pytest.raises(IntegrityError):
        db.session.execute(sa.delete(TopicPart).where(TopicPart.id == part.id))
    db.session.rollback()
    services.delete_part(other)  # one without comments goes
    db.session.commit()
    assert _titles(open_topic) == [(1, "Osa 1")]


def test_deleting_the_topic_removes_its_parts_and_their_comments(open_topic, resident):
    (part,) = make_parts(open_topic, 1)
    comment_on(open_topic, part, resident, paragraph=1, quote="Ensimmäinen kappale kertoo taustan.")
    db.session.commit()
    db.session.execute(sa.delete(Topic).where(Topic.id == open_topic.id))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TopicPart)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_a_reply_is_on_its_parents_part_and_on_no_paragraph(open_topic, resident, other_resident):
    (part,) = make_parts(open_topic, 1)
    root = comment_on(open_topic, part, resident, paragraph=2, quote="Toinen kappale")
    reply = topic_services.post_comment(
        open_topic,
        other_resident,
        "Vastaus",
        parent=root,
        part_id=None,
        paragraph=3,
        paragraph_quote="x",
    )
    db.session.commit()
    assert (root.part_id, root.paragraph, root.paragraph_quote) == (part.id, 2, "Toinen kappale")
    assert (reply.part_id, reply.paragraph, reply.paragraph_quote) == (part.id, None, None)


def test_the_topics_counter_counts_every_comment(open_topic, resident):
    (part,) = make_parts(open_topic, 1)
    topic_services.post_comment(open_topic, resident, "Yleinen")
    comment_on(open_topic, part, resident, "Osasta")
    db.session.commit()
    assert open_topic.comment_count == 2
