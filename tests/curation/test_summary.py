"""The moderator's summary: one text per language, and no silent overwrite of a colleague's."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from eraati.consultations.models import TopicTranslation
from eraati.curation import services
from eraati.curation.services import text_hash
from eraati.extensions import db as _db
from eraati.organisations.models import Role
from tests import factories
from tests.consultations.topic_support import choose_language
from tests.curation.support import audit, field_error, flashes, staff_path, text


def _summaries(topic) -> dict[str, str]:
    rows = _db.session.execute(
        sa.select(TopicTranslation.locale, TopicTranslation.moderator_summary).where(
            TopicTranslation.topic_id == topic.id
        )
    )
    return dict(rows.all())


def _set(topic, locale: str, value: str) -> None:
    _db.session.execute(
        sa.update(TopicTranslation)
        .where(TopicTranslation.topic_id == topic.id, TopicTranslation.locale == locale)
        .values(moderator_summary=value)
    )
    _db.session.commit()


@pytest.fixture
def bilingual(db):
    org = factories.make_org("ylasavo", "Ylä-Savon SOTE", languages="fi,sv")
    moderator = factories.make_user("mod@ylasavo.fi", org=org, roles=(Role.MODERATOR,))
    topic = factories.make_topic(org, title="Palveluverkko", title_sv="Servicenätet")
    db.session.commit()
    return topic, moderator


def test_the_form_shows_the_saved_summary(db, browser, login_as, moderator, open_topic):
    _set(open_topic, "fi", "Tähänastinen yhteenveto.")
    login_as(moderator)
    page = text(browser.get(staff_path(open_topic, "/summary")))
    assert re.search(
        r'<textarea[^>]*id="summary_fi"[^>]*>\s*Tähänastinen yhteenveto.</textarea>', page
    )
    assert f'value="{text_hash("Tähänastinen yhteenveto.")}"' in page


def test_saving_the_summary(db, browser, login_as, moderator, open_topic):
    login_as(moderator)
    response = browser.post(
        staff_path(open_topic, "/summary"),
        data={
            "summary_fi": "Ensimmäinen kappale.\r\n\r\nToinen kappale.",
            "seen_fi": text_hash(""),
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == staff_path(open_topic, "/summary")
    assert _summaries(open_topic) == {"fi": "Ensimmäinen kappale.\n\nToinen kappale."}
    [event] = audit("topic.summary")
    assert event.target_id == open_topic.id and event.details["languages"] == ["fi"]
    assert event.actor_id == moderator.id
    assert "The summary was saved." in flashes(text(browser.get(response.headers["Location"])))

    # The same text again: nothing to save, no audit row.
    browser.post(
        staff_path(open_topic, "/summary"),
        data={"summary_fi": "Ensimmäinen kappale.\n\nToinen kappale.", "seen_fi": "0" * 32},
    )
    assert len(audit("topic.summary")) == 1


def test_a_bilingual_topic_has_one_text_per_language(db, browser, login_as, bilingual):
    topic, moderator = bilingual
    login_as(moderator)
    page = text(browser.get(staff_path(topic, "/summary")))
    assert 'id="summary_fi"' in page and 'id="summary_sv"' in page
    assert re.search(
        r'<textarea[^>]*id="summary_sv"[^>]*lang="sv"|lang="sv"[^>]*id="summary_sv"', page
    )
    browser.post(
        staff_path(topic, "/summary"),
        data={
            "summary_fi": "Suomeksi.",
            "seen_fi": text_hash(""),
            "summary_sv": "På svenska.",
            "seen_sv": text_hash(""),
        },
    )
    assert _summaries(topic) == {"fi": "Suomeksi.", "sv": "På svenska."}
    assert audit("topic.summary")[0].details["languages"] == ["fi", "sv"]


def test_someone_elses_save_meanwhile_is_not_overwritten(
    db, browser, login_as, moderator, open_topic
):
    _set(open_topic, "fi", "Alkuperäinen.")
    login_as(moderator)
    loaded = text_hash("Alkuperäinen.")
    _set(open_topic, "fi", "Kollegan versio.")  # a colleague saved after we loaded the form

    response = browser.post(
        staff_path(open_topic, "/summary"),
        data={"summary_fi": "Minun versioni.", "seen_fi": loaded},
    )
    page = text(response)
    assert response.status_code == 409
    assert "Someone else saved this summary while you were editing it." in field_error(
        page, "summary_fi"
    )
    assert "Minun versioni." in page and "Kollegan versio." in page  # both texts
    assert _summaries(open_topic) == {"fi": "Kollegan versio."}
    assert audit() == []
    # The form now carries the colleague's version: saving again is a deliberate choice.
    assert f'value="{text_hash("Kollegan versio.")}"' in page
    again = browser.post(
        staff_path(open_topic, "/summary"),
        data={"summary_fi": "Yhdistetty.", "seen_fi": text_hash("Kollegan versio.")},
    )
    assert again.status_code == 303
    assert _summaries(open_topic) == {"fi": "Yhdistetty."}


def test_the_conflict_page_names_who_saved_meanwhile(
    db, browser, login_as, moderator, org_admin, open_topic
):
    login_as(org_admin)
    browser.post(
        staff_path(open_topic, "/summary"),
        data={"summary_fi": "Pääkäyttäjän teksti.", "seen_fi": text_hash("")},
    )
    login_as(moderator)
    response = browser.post(
        staff_path(open_topic, "/summary"),
        data={"summary_fi": "Moderaattorin teksti.", "seen_fi": text_hash("")},
    )
    assert response.status_code == 409
    assert f"Saved by {org_admin.display_name}" in text(response)


def test_a_conflict_in_one_language_saves_no_language(db, browser, login_as, bilingual):
    topic, moderator = bilingual
    login_as(moderator)
    _set(topic, "sv", "Kollegans text.")
    response = browser.post(
        staff_path(topic, "/summary"),
        data={
            "summary_fi": "Uusi suomeksi.",
            "seen_fi": text_hash(""),
            "summary_sv": "Min text.",
            "seen_sv": text_hash(""),
        },
    )
    assert response.status_code == 409
    assert field_error(text(response), "summary_fi") == ""
    assert field_error(text(response), "summary_sv") != ""
    assert _summaries(topic) == {"fi": "", "sv": "Kollegans text."}
    assert audit() == []


def test_a_language_only_the_colleague_changed_keeps_their_text(db, browser, login_as, bilingual):
    topic, moderator = bilingual
    login_as(moderator)
    _set(topic, "sv", "Kollegans text.")
    response = browser.post(
        staff_path(topic, "/summary"),
        data={
            "summary_fi": "Uusi suomeksi.",
            "seen_fi": text_hash(""),
            "summary_sv": "",  # untouched by this editor: as loaded
            "seen_sv": text_hash(""),
        },
    )
    assert response.status_code == 303
    assert _summaries(topic) == {"fi": "Uusi suomeksi.", "sv": "Kollegans text."}


def test_a_too_long_summary_is_refused_and_kept(db, browser, login_as, moderator, open_topic):
    login_as(moderator)
    long_text = "sana " * 4001  # 20 005 characters, 20 004 after trimming
    response = browser.post(
        staff_path(open_topic, "/summary"),
        data={"summary_fi": long_text, "seen_fi": text_hash("")},
    )
    page = text(response)
    assert response.status_code == 422
    assert "The limit is 20,000 characters." in field_error(page, "summary_fi")
    assert "maxlength" not in page.split('id="summary_fi"')[1].split(">")[0]
    assert long_text.strip() in page
    assert _summaries(open_topic) == {"fi": ""} and audit() == []


def test_the_service_checks_the_text_it_replaces(db, open_topic, moderator):
    """Two saves at the same moment: the UPDATE of the second finds the text changed."""
    row = open_topic.translations[0]
    seen = {"fi": text_hash("")}
    _db.session.execute(  # the other save, committed between our read and our write
        sa.update(TopicTranslation)
        .where(TopicTranslation.id == row.id)
        .values(moderator_summary="Toinen ehti.")
        .execution_options(synchronize_session=False)
    )
    # Our session still holds the old text in memory.
    assert row.moderator_summary == ""
    with pytest.raises(services.StaleSummaryError):
        services.save_summaries(open_topic, {"fi": "Minun."}, seen, actor=moderator)
    _db.session.rollback()
    assert _summaries(open_topic) == {"fi": ""}


def test_the_limit_is_written_as_the_language_writes_numbers(
    db, browser, client, login_as, moderator, open_topic
):
    login_as(moderator)
    english = text(browser.get(staff_path(open_topic, "/summary")))
    assert "At most 20,000 characters." in english
    choose_language(client, "fi")
    finnish = text(browser.get(staff_path(open_topic, "/summary")))
    assert "Enintään 20\u00a0000 merkkiä." in finnish  # grouped with a no-break space
