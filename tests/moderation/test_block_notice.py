"""What a blocked resident sees on a topic of the organisation that blocked them."""

from __future__ import annotations

from datetime import timedelta

from eraati.core.time import utcnow
from tests.consultations.topic_support import topic_path
from tests.moderation.support import text


def _block(db, user, org, days=3):
    user.org_blocks = {str(org.id): (utcnow() + timedelta(days=days)).isoformat()}
    db.session.commit()


def test_blocked_resident_is_told_why_there_is_no_form(
    db, client, login_as, open_topic, resident, org
):
    _block(db, resident, org)
    login_as(resident)
    page = text(client.get(topic_path(open_topic)))  # in the resident's language, Finnish
    assert "ovat estäneet sinua osallistumasta sen kuulemisiin" in page
    assert 'name="body"' not in page  # no comment form
    assert 'action="/keitele/kirjaston-aukioloajat/stance"' not in page


def test_an_ended_block_leaves_the_form_back(db, client, login_as, open_topic, resident, org):
    _block(db, resident, org, days=-1)
    login_as(resident)
    page = text(client.get(topic_path(open_topic)))
    assert 'name="body"' in page
    assert "ovat estäneet sinua" not in page


def test_a_hidden_comments_reason_is_marked_with_its_language(db, client, open_topic, resident):
    from eraati.consultations.models import CommentStatus
    from tests.consultations.topic_support import choose_language
    from tests.moderation.support import add_comment

    add_comment(
        open_topic, resident, "Loukkaus", status=CommentStatus.HIDDEN, hidden_reason="Asiaton"
    )
    db.session.commit()
    choose_language(client, "sv")
    page = text(client.get(topic_path(open_topic)))
    assert '<span lang="fi">Asiaton</span>' in page  # Finnish text on a Swedish page
    choose_language(client, "fi")
    assert '<span lang="fi">Asiaton</span>' not in text(client.get(topic_path(open_topic)))


def test_a_blocked_writer_opening_the_edit_page_is_told_why(
    db, client, login_as, open_topic, resident, org
):
    from tests.moderation.support import add_comment

    mine = add_comment(open_topic, resident, "Oma kommentti")
    db.session.commit()
    _block(db, resident, org)
    login_as(resident)
    edit = f"{topic_path(open_topic)}/comments/{mine.id}/edit"
    for response in (client.get(edit), client.post(edit, data={"body": "Uusi teksti"})):
        assert response.status_code == 403
        page = " ".join(text(response).split())
        assert "<h1>Et voi muokata tätä kommenttia</h1>" in page
        assert "ovat estäneet sinua osallistumasta sen kuulemisiin" in page
        assert 'name="body"' not in page  # no form
    from tests.moderation.support import fresh

    assert fresh(mine).body == "Oma kommentti"


def test_someone_elses_comment_still_gets_the_plain_refusal(
    db, client, login_as, open_topic, resident, other_resident, org
):
    from tests.moderation.support import add_comment

    theirs = add_comment(open_topic, other_resident, "Toisen kommentti")
    db.session.commit()
    _block(db, resident, org)
    login_as(resident)
    response = client.get(f"{topic_path(open_topic)}/comments/{theirs.id}/edit")
    assert response.status_code == 403
    assert "ovat estäneet sinua" not in text(response)
