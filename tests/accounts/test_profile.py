"""Profile: details, language, and the own-data download."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask_sqlalchemy.record_queries import get_recorded_queries

from eraati.consultations.models import (
    Answer,
    AnswerChoice,
    Comment,
    CommentVote,
    Follow,
    Stance,
    TopicStance,
    VoteValue,
)
from eraati.core.time import HELSINKI
from tests import factories
from tests.accounts.helpers import main_of, tr


def test_profile_saves_details_and_language(client, db, resident, org, login_as):
    login_as(resident)

    response = client.post(
        "/account/profile",
        data={"display_name": "  Aino A. ", "home_municipality_code": "239", "locale": "sv"},
    )

    assert response.status_code == 303
    assert response.headers["Location"] == "/account/profile"
    db.session.refresh(resident)
    assert (resident.display_name, resident.home_municipality_code, resident.locale) == (
        "Aino A.",
        "239",  # Keitele
        "sv",
    )
    page = client.get("/account/profile").get_data(as_text=True)
    assert '<html lang="sv"' in page
    assert tr("Your details are saved.", "sv") in page


def test_session_language_follows_the_profile_choice(client, db, resident, login_as):
    login_as(resident)
    with client.session_transaction() as session:
        session["lang"] = "fi"
    client.post("/account/profile", data={"display_name": "Aino", "locale": "en"})
    with client.session_transaction() as session:
        assert session["lang"] == "en"


def test_profile_errors_keep_the_input(client, db, resident, org, login_as):
    login_as(resident)

    response = client.post(
        "/account/profile",
        data={"display_name": "", "home_municipality_code": "239", "locale": "sv"},
    )

    assert response.status_code == 422
    page = main_of(response.get_data(as_text=True))
    assert tr("Enter a name.", "fi") in page
    assert '<option selected value="239">Keitele</option>' in page
    assert '<option selected value="sv">' in page
    db.session.refresh(resident)
    assert resident.display_name == "Aino Asukas" and resident.locale == "fi"


def test_profile_page_shows_the_account(client, resident, login_as):
    login_as(resident)
    page = client.get("/account/profile").get_data(as_text=True)
    assert page.count("<h1") == 1
    assert resident.email in page
    for href in ("/account/password", "/account/data.json", "/account/delete"):
        assert f'href="{href}"' in page


def test_data_download_contains_own_rows_only(
    client, db, resident, other_resident, open_topic, org, login_as
):
    factories.set_home(resident, org)
    mine = Comment(topic_id=open_topic.id, author_id=resident.id, body="Oma kommentti")
    theirs = Comment(topic_id=open_topic.id, author_id=other_resident.id, body="Toisen kommentti")
    db.session.add_all([mine, theirs])
    db.session.flush()
    question = open_topic.questions[0]
    answer = Answer(question_id=question.id, user_id=resident.id)
    answer.choices.append(AnswerChoice(option_id=question.options[1].id))
    db.session.add_all(
        [
            TopicStance(topic_id=open_topic.id, user_id=resident.id, stance=Stance.SUPPORT),
            TopicStance(topic_id=open_topic.id, user_id=other_resident.id, stance=Stance.OPPOSE),
            CommentVote(comment_id=theirs.id, user_id=resident.id, value=VoteValue.AGREE),
            CommentVote(comment_id=mine.id, user_id=other_resident.id, value=VoteValue.DISAGREE),
            Follow(topic_id=open_topic.id, user_id=resident.id),
            answer,
        ]
    )
    db.session.commit()
    login_as(resident)

    response = client.get("/account/data.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["email"] == resident.email
    assert data["profile"]["home_municipality_code"] == org.municipality_code == "239"
    assert data["profile"]["home_municipality_name"] == "Keitele"
    assert "home_municipality" not in data["profile"]  # the organisation is derived
    assert [c["body"] for c in data["comments"]] == ["Oma kommentti"]
    assert data["comments"][0]["topic"]["slug"] == open_topic.slug
    assert [s["stance"] for s in data["stances"]] == ["support"]
    assert [(v["comment_id"], v["vote"]) for v in data["comment_votes"]] == [(theirs.id, "agree")]
    assert len(data["poll_answers"]) == 1
    assert data["poll_answers"][0]["question"]["fi"] == "Mikä vaihtoehto?"
    assert [c["text"]["fi"] for c in data["poll_answers"][0]["choices"]] == ["Ei"]
    assert [f["topic"]["id"] for f in data["follows"]] == [open_topic.id]
    assert "Toisen kommentti" not in response.get_data(as_text=True)


def test_data_download_costs_the_same_number_of_queries_for_more_rows(client, db, org, login_as):
    user = factories.make_user("laskuri@example.fi")
    db.session.commit()
    login_as(user)
    uid = user.id

    def add_rows(n: int) -> None:
        for _ in range(n):
            topic = factories.make_topic(org, with_poll=True)
            comment = Comment(topic_id=topic.id, author_id=uid, body="x")
            db.session.add(comment)
            db.session.flush()
            db.session.add(CommentVote(comment_id=comment.id, user_id=uid, value=VoteValue.PASS))
            db.session.add(TopicStance(topic_id=topic.id, user_id=uid, stance=Stance.NEUTRAL))
            db.session.add(Follow(topic_id=topic.id, user_id=uid))
            answer = Answer(question_id=topic.questions[1].id, user_id=uid)
            for option in topic.questions[1].options:
                answer.choices.append(AnswerChoice(option_id=option.id))
            db.session.add(answer)
        db.session.commit()
        db.session.expunge_all()  # the request must load everything itself

    def queries_of_one_download() -> int:
        before = len(get_recorded_queries())
        response = client.get("/account/data.json")
        assert response.status_code == 200
        return len(get_recorded_queries()) - before

    add_rows(1)
    few = queries_of_one_download()
    add_rows(5)
    many = queries_of_one_download()
    assert len(json.loads(client.get("/account/data.json").data)["poll_answers"]) == 6
    assert few == many


def test_data_download_is_named_by_the_day_in_helsinki(client, resident, login_as, monkeypatch):
    """At 00:30 on 8 December in Helsinki it is still the 7th in UTC: the name says the 8th."""
    half_past_midnight = datetime(2026, 12, 8, 0, 30, tzinfo=HELSINKI)
    monkeypatch.setattr("eraati.accounts.views.utcnow", lambda: half_past_midnight.astimezone(UTC))
    login_as(resident)
    response = client.get("/account/data.json")
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="eraati-data-2026-12-08.json"'


def test_data_download_needs_log_in(client):
    response = client.get("/account/data.json")
    assert response.status_code == 302


def test_name_consent_is_given_and_withdrawn_on_the_profile(client, db, resident, login_as):
    login_as(resident)
    assert resident.name_consent is False
    details = {"display_name": "Aino", "locale": "fi"}
    client.post("/account/profile", data={**details, "name_consent": "y"})
    db.session.refresh(resident)
    assert resident.name_consent is True
    assert client.get("/account/data.json").get_json()["profile"]["name_in_exports_allowed"]
    client.post("/account/profile", data=details)  # the box left empty withdraws it
    db.session.refresh(resident)
    assert resident.name_consent is False
