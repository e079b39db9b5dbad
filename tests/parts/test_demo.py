"""The demo's Vieremä draft strategy, read part by part."""

import sqlalchemy as sa

from eraati.consultations import demo
from eraati.consultations.models import Comment, Topic
from eraati.parts import demo as parts_demo
from eraati.parts.models import TopicPart
from eraati.parts.paragraphs import split


def test_the_demo_has_a_draft_strategy_in_parts_with_paragraph_comments(db, client):
    demo.seed()
    db.session.commit()
    topic = db.session.scalar(sa.select(Topic).where(Topic.slug == parts_demo.TOPIC))
    parts = db.session.scalars(
        sa.select(TopicPart).where(TopicPart.topic_id == topic.id).order_by(TopicPart.position)
    ).all()
    assert len(parts) == 5
    for part in parts:  # the language versions keep step paragraph by paragraph
        assert {t.locale for t in part.texts} == {"fi", "sv"}
        fi, sv = (len(split(part.text_in(code).body).paragraphs) for code in ("fi", "sv"))
        assert fi == sv >= 3
    comments = db.session.scalars(sa.select(Comment).where(Comment.topic_id == topic.id)).all()
    on_paragraphs = [c for c in comments if c.paragraph]
    assert len(on_paragraphs) >= 20 and len(comments) == topic.comment_count
    by_id = {p.id: p for p in parts}
    for c in on_paragraphs:
        assert split(by_id[c.part_id].text_in("fi").body).get(c.paragraph).text == c.paragraph_quote
    replies = [c for c in comments if c.parent_id]
    parents = {c.id: c for c in comments}
    assert replies and all(r.part_id == parents[r.parent_id].part_id for r in replies)
    assert any(c.part_id is None for c in comments)  # general comments too

    for lang in ("fi", "sv"):
        client.get(f"/language/{lang}")
        for position in range(1, 6):
            response = client.get(f"/vierema/{parts_demo.TOPIC}/parts/{position}")
            assert response.status_code == 200
    # Seeding again adds nothing.
    demo.seed()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TopicPart)) == 5
