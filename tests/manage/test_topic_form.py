"""Creating and editing topics: texts per language, schedule in Helsinki time, decision
context, member municipalities, settings, the no-JavaScript poll form, slugs, bad input
and stale edits."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, ngettext

from eraati.audit.models import AuditEvent
from eraati.consultations import participation
from eraati.consultations.models import (
    QuestionKind,
    Topic,
    TopicStatus,
    TopicTranslation,
)
from eraati.extensions import db
from eraati.manage import services
from eraati.organisations.models import OrganisationKind
from tests import factories
from tests.accounts.helpers import tr
from tests.consultations.topic_support import choose_language
from tests.manage.support import (
    count,
    field_error,
    form_values,
    input_value,
    main_of,
    text,
    topic_by_slug,
    topic_form,
)

NEW = "/staff/keitele/topics/new"


def _edit(topic) -> str:
    return f"/staff/keitele/topics/{topic.id}/edit"


@pytest.fixture
def admin(login_as, org_admin):
    return login_as(org_admin)


# --- create ----------------------------------------------------------------------------------


def test_admin_creates_a_draft_with_everything(browser, admin, org):
    data = topic_form(
        summary_fi="Kerro mielipiteesi.",
        body_fi="<h2>Tausta</h2><p>Kirjasto <strong>muuttaa</strong>.</p>",
        allow_anonymous="y",
        premoderated="y",
        q0_kind="multiple",
        q0_text_fi="Mitkä ajat sopivat?",
        q0_options_fi="Aamu\nIlta\n\n  Viikonloppu  ",
    )
    response = browser.post(NEW, data=data)
    assert response.status_code == 303
    topic = topic_by_slug(org, "kirjaston-aukioloajat")
    assert response.headers["Location"] == f"/staff/keitele/topics/{topic.id}/edit"
    assert topic.status == TopicStatus.DRAFT and topic.revision == 1
    assert topic.created_by_id == admin.id
    (fi,) = topic.translations
    assert (fi.locale, fi.title, fi.summary) == (
        "fi",
        "Kirjaston aukioloajat",
        "Kerro mielipiteesi.",
    )
    assert fi.body == "<h2>Tausta</h2><p>Kirjasto <strong>muuttaa</strong>.</p>"
    assert fi.deciding_body == "Kunnanhallitus" and topic.case_number == "KH/12/2027"
    assert fi.contact_person.startswith("Liisa Virtanen")
    assert topic.allow_anonymous and topic.premoderated and topic.stances_enabled
    (question,) = topic.questions
    assert question.kind == QuestionKind.MULTIPLE
    assert question.texts == {"fi": "Mitkä ajat sopivat?"}
    assert [o.texts for o in question.options] == [
        {"fi": "Aamu"},
        {"fi": "Ilta"},
        {"fi": "Viikonloppu"},
    ]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "topic.create"))
    assert event.target_id == topic.id and event.actor_id == admin.id
    assert event.organisation_id == org.id


def test_times_are_helsinki_time_stored_in_utc(browser, admin, org):
    data = topic_form(
        opens_on="2030-01-10", opens_time="08:00", closes_on="2030-06-10", closes_time="16:00"
    )
    assert browser.post(NEW, data=data).status_code == 303
    topic = topic_by_slug(org, "kirjaston-aukioloajat")
    assert topic.opens_at == datetime(2030, 1, 10, 6, 0, tzinfo=UTC)  # winter: UTC+2
    assert topic.closes_at == datetime(2030, 6, 10, 13, 0, tzinfo=UTC)  # summer: UTC+3
    page = text(browser.get(_edit(topic)))
    assert input_value(page, "opens_time") == "08:00"
    assert input_value(page, "closes_on") == "2030-06-10"


def test_finnish_dates_typed_by_hand_are_understood(browser, admin, org):
    data = topic_form(opens_on="10.1.2030", opens_time="8.00", closes_on="10.2.2030")
    assert browser.post(NEW, data=data).status_code == 303
    topic = topic_by_slug(org, "kirjaston-aukioloajat")
    assert topic.opens_at == datetime(2030, 1, 10, 6, 0, tzinfo=UTC)


def test_the_address_is_made_from_the_title_and_kept_unique(browser, admin, org):
    data = topic_form(title_fi="Ääninen Öljy-ja Åsa-kysely 2027!")
    assert browser.post(NEW, data=data).status_code == 303
    assert browser.post(NEW, data=data).status_code == 303
    slugs = set(db.session.scalars(sa.select(Topic.slug)))
    assert slugs == {"aaninen-oljy-ja-asa-kysely-2027", "aaninen-oljy-ja-asa-kysely-2027-2"}


def test_a_chosen_address_must_be_free(browser, admin, org, open_topic):
    data = topic_form(slug=open_topic.slug)
    response = browser.post(NEW, data=data)
    assert response.status_code == 422
    assert field_error(text(response), "slug") == tr(
        "Another topic of the organisation already has this address. Choose another one.", "fi"
    )
    assert count(Topic) == 1


def test_another_organisation_may_use_the_same_address(browser, admin, other_org):
    factories.make_topic(other_org, slug="kirjaston-aukioloajat")
    db.session.commit()
    assert browser.post(NEW, data=topic_form(slug="kirjaston-aukioloajat")).status_code == 303


def test_rich_text_is_cleaned_on_save(browser, admin, org):
    body = '<p onclick="x()">Hei <script>alert(1)</script><a href="javascript:x">linkki</a></p>'
    assert browser.post(NEW, data=topic_form(body_fi=body)).status_code == 303
    stored = topic_by_slug(org, "kirjaston-aukioloajat").translations[0].body
    assert "script" not in stored and "onclick" not in stored and "javascript" not in stored
    assert stored.startswith("<p>Hei ")


def test_plain_text_description_becomes_paragraphs(browser, admin, org):
    body = "Ensimmäinen kappale.\nSama kappale.\n\nToinen kappale & <muuta"
    assert browser.post(NEW, data=topic_form(body_fi=body)).status_code == 303
    stored = topic_by_slug(org, "kirjaston-aukioloajat").translations[0].body
    assert stored.startswith("<p>Ensimmäinen kappale.<br>")
    assert "<p>Toinen kappale &amp; &lt;muuta</p>" in stored


def test_the_form_lists_the_allowed_markup(browser, admin):
    page = text(browser.get(NEW))
    hint = re.search(r'<p class="hint" id="body_fi-hint">(.*?)</p>', page, re.S).group(1)
    for tag in ("p", "h2", "ul", "ol", "li", "strong", "em", "blockquote", "br"):
        assert f"&lt;{tag}&gt;" in hint  # shown as text, not as markup
    assert "&lt;a href=" in hint


# --- bad input -------------------------------------------------------------------------------


def test_missing_title_and_dates_are_shown_next_to_the_fields_and_nothing_is_saved(
    browser, admin, org
):
    data = topic_form(title_fi="", opens_on="", closes_on="32.13.2027", case_number="KH/99")
    response = browser.post(NEW, data=data)
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "title_fi") == tr(
        "Enter a title in %(language)s.", "fi", language=tr("Finnish", "fi")
    )
    assert field_error(page, "opens_on") == tr("Enter the opening date.", "fi")
    assert field_error(page, "closes_on") == tr(
        "Enter the date as dd.mm.yyyy, for example 15.3.2026.", "fi"
    )
    assert 'id="error-summary"' in page
    assert 'value="KH/99"' in page and 'value="32.13.2027"' in page  # typed input kept
    assert count(Topic) == 0 and count(AuditEvent) == 0


def test_closing_must_come_after_opening(browser, admin):
    data = topic_form(opens_on="2030-02-01", closes_on="2030-02-01", closes_time="08:00")
    response = browser.post(NEW, data=data)
    assert response.status_code == 422
    assert field_error(text(response), "closes_on") == tr(
        "The closing time must be after the opening time.", "fi"
    )
    assert count(Topic) == 0


@pytest.mark.parametrize("slug", ["Iso Kirjain", "ääkköset", "-alku", "kaksi--viivaa"])
def test_an_address_with_other_characters_is_refused(browser, admin, slug):
    response = browser.post(NEW, data=topic_form(slug=slug))
    assert response.status_code == 422
    assert field_error(text(response), "slug")
    assert count(Topic) == 0


def test_too_long_title_is_refused(browser, admin):
    response = browser.post(NEW, data=topic_form(title_fi="x" * 201))
    assert response.status_code == 422
    assert field_error(text(response), "title_fi") == tr(
        "Use at most %(max)d characters.", "fi", max=200
    )


def test_errors_are_in_the_readers_language(browser, admin, client):
    choose_language(client, "sv")
    response = browser.post(NEW, data=topic_form(title_fi=""))
    assert field_error(text(response), "title_fi") == "Skriv en rubrik på finska."


# --- languages -------------------------------------------------------------------------------


@pytest.fixture
def bilingual(db, org):
    org.languages = "fi,sv"
    org.name_sv = "Keitele"
    db.session.commit()
    return org


def test_a_bilingual_organisation_gets_both_sections_and_may_leave_swedish_out(
    browser, admin, bilingual
):
    page = text(browser.get(NEW))
    assert 'id="title_fi"' in page and 'id="title_sv"' in page
    assert browser.post(NEW, data=topic_form("fi,sv")).status_code == 303
    topic = topic_by_slug(bilingual, "kirjaston-aukioloajat")
    assert [t.locale for t in topic.translations] == ["fi"]


def test_a_swedish_text_without_title_is_an_error(browser, admin, bilingual):
    response = browser.post(NEW, data=topic_form("fi,sv", summary_sv="Kort."))
    assert response.status_code == 422
    assert field_error(text(response), "title_sv")
    assert count(Topic) == 0


def test_adding_a_language_keeps_what_was_typed_and_saves_nothing(browser, admin):
    data = topic_form(title_fi="Kesken oleva otsikko", add_language="en")
    response = browser.post(NEW, data=data)
    assert response.status_code == 200
    page = text(response)
    assert 'id="title_en"' in page and 'value="Kesken oleva otsikko"' in page
    assert input_value(page, "languages") == "fi,en"
    assert field_error(page, "title_en") == ""
    assert count(Topic) == 0
    data = topic_form(
        "fi,en",
        title_en="Library hours",
        body_en="Text.",
        deciding_body_en="The municipal board",
        contact_person_en="Liisa Virtanen, planning manager",
    )
    assert browser.post(NEW, data=data).status_code == 303
    assert count(TopicTranslation, TopicTranslation.locale == "en") == 1


def test_emptying_a_version_removes_it_unless_it_has_results(browser, admin, bilingual):
    topic = factories.make_topic(bilingual, slug="aihe", title="Aihe", title_sv="Ämne")
    db.session.commit()
    data = topic_form("fi,sv", slug="aihe", title_fi="Aihe", revision="1")
    assert browser.post(_edit(topic), data=data).status_code == 303
    assert [t.locale for t in topic_by_slug(bilingual, "aihe").translations] == ["fi"]

    other = factories.make_topic(bilingual, slug="toinen", title="Toinen", title_sv="Annat")
    other.translations[1].decision_outcome = "Beslut."
    db.session.commit()
    data = topic_form("fi,sv", slug="toinen", title_fi="Toinen", revision="1")
    response = browser.post(_edit(other), data=data)
    assert response.status_code == 422
    assert field_error(text(response), "title_sv")
    assert len(topic_by_slug(bilingual, "toinen").translations) == 2


# --- the decision's texts per language -----------------------------------------------------


def test_the_deciding_body_and_contact_person_are_saved_per_language(browser, admin, bilingual):
    data = topic_form(
        "fi,sv",
        title_sv="Bibliotekets öppettider",
        deciding_body_sv="Kommunstyrelsen",
        contact_person_sv="Liisa Virtanen, planeringschef, tfn 040 123 4567",
    )
    assert browser.post(NEW, data=data).status_code == 303
    topic = topic_by_slug(bilingual, "kirjaston-aukioloajat")
    saved = {t.locale: (t.deciding_body, t.contact_person) for t in topic.translations}
    assert saved == {
        "fi": ("Kunnanhallitus", "Liisa Virtanen, suunnittelupäällikkö, p. 040 123 4567"),
        "sv": ("Kommunstyrelsen", "Liisa Virtanen, planeringschef, tfn 040 123 4567"),
    }
    # The edit form gives each language's text back in its own field.
    values = form_values(text(browser.get(_edit(topic))), _edit(topic))
    assert (values["deciding_body_fi"], values["deciding_body_sv"]) == (
        "Kunnanhallitus",
        "Kommunstyrelsen",
    )
    assert values["contact_person_sv"] == "Liisa Virtanen, planeringschef, tfn 040 123 4567"


def test_a_language_version_without_the_deciding_body_is_refused_next_to_its_field(
    browser, admin, bilingual
):
    data = topic_form(
        "fi,sv",
        title_sv="Bibliotekets öppettider",
        contact_person_sv="Liisa Virtanen, planeringschef",
    )
    choose_language(browser.client, "sv")
    response = browser.post(NEW, data=data)
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "deciding_body_sv") == "Skriv det beslutande organet också på svenska."
    assert field_error(page, "deciding_body_fi") == ""
    assert field_error(page, "contact_person_sv") == ""
    assert input_value(page, "deciding_body_fi") == "Kunnanhallitus"  # what was typed stays
    assert count(Topic) == 0


def test_a_deciding_body_without_its_language_version_asks_for_the_title(browser, admin, bilingual):
    response = browser.post(NEW, data=topic_form("fi,sv", deciding_body_sv="Kommunstyrelsen"))
    assert response.status_code == 422
    assert field_error(text(response), "title_sv") == (
        "Kirjoita otsikko (ruotsi) tai jätä koko kieliversio tyhjäksi."
    )
    assert count(Topic) == 0


# --- member municipalities of a joint authority ----------------------------------------------


def test_a_joint_authority_chooses_member_municipalities(browser, login_as, db):
    sote = factories.make_org("sote", "Ylä-Savon SOTE", kind=OrganisationKind.JOINT_AUTHORITY)
    iisalmi, vierema, outsider = (
        factories.make_org("iisalmi", "Iisalmi"),
        factories.make_org("vierema", "Vieremä"),
        factories.make_org("kuopio", "Kuopio"),
    )
    sote.members.extend([iisalmi, vierema])
    from eraati.organisations.models import Role

    admin = factories.make_user("admin@sote.fi", org=sote, roles=(Role.ADMIN,))
    db.session.commit()
    login_as(admin)
    page = text(browser.get("/staff/sote/topics/new"))
    assert f'id="concerned-{iisalmi.id}"' in page and f'id="concerned-{outsider.id}"' not in page
    data = topic_form(concerned=[str(vierema.id), str(outsider.id)])
    assert browser.post("/staff/sote/topics/new", data=data).status_code == 303
    topic = topic_by_slug(sote, "kirjaston-aukioloajat")
    assert [o.slug for o in topic.concerned_organisations] == ["vierema"]


def test_a_municipality_has_no_member_choice(browser, admin):
    assert "concerned" not in text(browser.get(NEW))


# --- poll ------------------------------------------------------------------------------------


def test_poll_in_two_languages(browser, admin, bilingual):
    data = topic_form(
        "fi,sv",
        title_sv="Bibliotekets öppettider",
        deciding_body_sv="Kommunstyrelsen",
        contact_person_sv="Liisa Virtanen, planeringschef",
        q0_text_fi="Sopiiko?",
        q0_options_fi="Kyllä\nEi",
        q0_text_sv="Passar det?",
        q0_options_sv="Ja\nNej",
        q1_kind="multiple",
        q1_text_fi="Mitkä?",
        q1_options_fi="A\nB\nC",
    )
    assert browser.post(NEW, data=data).status_code == 303
    first, second = topic_by_slug(bilingual, "kirjaston-aukioloajat").questions
    assert first.texts == {"fi": "Sopiiko?", "sv": "Passar det?"}
    assert [o.texts for o in first.options] == [
        {"fi": "Kyllä", "sv": "Ja"},
        {"fi": "Ei", "sv": "Nej"},
    ]
    assert second.kind == QuestionKind.MULTIPLE and second.texts == {"fi": "Mitkä?"}
    assert [o.texts for o in second.options] == [{"fi": "A"}, {"fi": "B"}, {"fi": "C"}]


def test_options_must_have_as_many_lines_in_every_language(browser, admin, bilingual):
    data = topic_form(
        "fi,sv",
        title_sv="Öppettider",
        q0_text_fi="Sopiiko?",
        q0_options_fi="Kyllä\nEi\nEn tiedä",
        q0_text_sv="Passar det?",
        q0_options_sv="Ja\nNej",
    )
    response = browser.post(NEW, data=data)
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "q0_options_sv") == tr(
        "There are %(count)d lines in %(language)s but %(base)d in %(primary)s. Write each "
        "option on its own line, in the same order in every language.",
        "fi",
        count=2,
        language=tr("Swedish", "fi"),
        base=3,
        primary=tr("Finnish", "fi"),
    )
    assert "Kyllä\nEi\nEn tiedä" in page  # kept
    assert count(Topic) == 0


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"q1_options_fi": "Kyllä\nEi"}, "q1_text_fi"),  # options without a question
        ({"q1_text_fi": "Sopiiko?", "q1_options_fi": "Kyllä"}, "q1_options_fi"),  # one option
        ({"q1_text_fi": "Sopiiko?"}, "q1_options_fi"),  # no options
    ],
)
def test_incomplete_questions_are_errors(browser, admin, fields, error_field):
    response = browser.post(NEW, data=topic_form(**fields))
    assert response.status_code == 422
    assert field_error(text(response), error_field)
    assert count(Topic) == 0


def test_an_option_chosen_only_on_its_own_is_marked_in_the_poll_editor(
    browser, admin, org, resident
):
    data = topic_form(
        q0_kind="multiple",
        q0_text_fi="Mitä etäpalveluja käyttäisit?",
        q0_options_fi="Video\nPuhelin\nEn osaa sanoa\nEi mikään näistä",
        q0_exclusive="3, 4",
    )
    assert browser.post(NEW, data=data).status_code == 303
    topic = topic_by_slug(org, "kirjaston-aukioloajat")
    (question,) = topic.questions
    assert [o.exclusive for o in question.options] == [False, False, True, True]
    page = text(browser.get(_edit(topic)))
    assert input_value(page, "q0_exclusive") == "3, 4"
    # Saved again as it is shown, nothing changes; emptied, the mark goes.
    values = form_values(page, _edit(topic))
    assert browser.post(_edit(topic), data=values).status_code == 303
    assert [o.exclusive for o in topic_by_slug(org, topic.slug).questions[0].options] == [
        False,
        False,
        True,
        True,
    ]
    values.update(q0_exclusive="4", revision=str(topic_by_slug(org, topic.slug).revision))
    assert browser.post(_edit(topic), data=values).status_code == 303
    question = topic_by_slug(org, topic.slug).questions[0]
    assert [o.exclusive for o in question.options] == [False, False, False, True]
    # Once answered, the poll is shown as it is, with the mark.
    topic = topic_by_slug(org, topic.slug)
    topic.status = TopicStatus.OPEN
    topic.opens_at = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.commit()
    participation.answer_poll(topic, resident, {question.id: {question.options[3].id}})
    db.session.commit()
    page = text(browser.get(_edit(topic)))
    assert f'Ei mikään näistä <span class="meta">({tr("only on its own", "fi")})</span>' in page


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        (
            "single",
            "3",
            "Only a question where one or more options may be chosen can have options that "
            "are chosen on their own. Choose “One or more”, or leave this empty.",
        ),
        (
            "multiple",
            "4",
            (
                "The question has %(num)d option: give a number from 1 to %(num)d.",
                "The question has %(num)d options: give numbers from 1 to %(num)d.",
            ),
        ),
        (
            "multiple",
            "kolmas",
            "Give the numbers of the option lines, for example 4, or 3, 4 for two.",
        ),
    ],
)
def test_options_chosen_on_their_own_must_be_numbers_of_lines_of_a_multiple_question(
    browser, admin, kind, typed, message
):
    data = topic_form(
        q0_kind=kind, q0_text_fi="Mitkä?", q0_options_fi="A\nB\nEi mikään", q0_exclusive=typed
    )
    response = browser.post(NEW, data=data)
    assert response.status_code == 422
    page = text(response)
    if isinstance(message, tuple):
        with current_app.test_request_context(), force_locale("fi"):
            expected = ngettext(*message, 3)
    else:
        expected = tr(message, "fi")
    assert field_error(page, "q0_exclusive") == expected
    assert input_value(page, "q0_exclusive") == typed  # kept
    assert count(Topic) == 0


def test_more_question_slots_on_request(browser, admin):
    page = text(browser.get(NEW))
    assert 'id="q2_text_fi"' in page and 'id="q3_text_fi"' not in page
    response = browser.post(NEW, data=topic_form(add_question="1", q0_text_fi="Kysymys"))
    page = text(response)
    assert response.status_code == 200 and 'id="q3_text_fi"' in page
    assert 'value="Kysymys"' in page and count(Topic) == 0


def test_an_added_field_takes_the_focus(browser, admin, org, open_topic):
    """Without JavaScript an "add" button reloads the page: the keyboard user continues
    from the first new field (autofocus), not from the top of the page."""
    assert "autofocus" not in text(browser.get(NEW))
    page = text(browser.post(NEW, data=topic_form(title_fi="Otsikko", add_language="en")))
    assert page.count("autofocus") == 1
    assert re.search(r'<input[^>]*\bautofocus\b[^>]*\bid="title_en"', page)
    page = text(browser.post(NEW, data=topic_form(add_question="1")))
    assert page.count("autofocus") == 1
    assert '<fieldset id="q3_kind" tabindex="-1" autofocus' in page
    # Editing a topic: its own form, the same.
    page = text(browser.post(_edit(open_topic), data=topic_form(add_language="sv")))
    assert page.count("autofocus") == 1
    assert re.search(r'<input[^>]*\bautofocus\b[^>]*\bid="title_sv"', page)


def test_editing_replaces_questions_while_nobody_has_answered(browser, admin, org, open_topic):
    page = text(browser.get(_edit(open_topic)))
    assert "Mikä vaihtoehto?" in page and "Kyllä\nEi\nEn osaa sanoa" in page
    data = topic_form(
        slug=open_topic.slug,
        revision="1",
        slots=3,
        q0_text_fi="Uusi kysymys?",
        q0_options_fi="Yksi\nKaksi",
    )
    assert browser.post(_edit(open_topic), data=data).status_code == 303
    (question,) = topic_by_slug(org, open_topic.slug).questions
    assert question.texts == {"fi": "Uusi kysymys?"}
    assert [o.texts["fi"] for o in question.options] == ["Yksi", "Kaksi"]


def test_a_poll_with_answers_is_locked(browser, admin, org, open_topic, resident):
    single, _multiple = open_topic.questions
    participation.answer_poll(open_topic, resident, {single.id: [single.options[0].id]})
    db.session.commit()
    page = text(browser.get(_edit(open_topic)))
    assert (
        tr(
            "People have already answered the poll, so its questions and options can no longer be "
            "changed: changing them would change the meaning of the answers given.",
            "fi",
        )
        in page
    )
    assert 'id="q0_text_fi"' not in page and "Mikä vaihtoehto?" in page
    # Poll fields sent anyway are not read; the rest of the form is saved.
    data = topic_form(
        slug=open_topic.slug,
        revision="1",
        title_fi="Uusi otsikko",
        q0_text_fi="Muu?",
        q0_options_fi="A\nB",
    )
    assert browser.post(_edit(open_topic), data=data).status_code == 303
    topic = topic_by_slug(org, open_topic.slug)
    assert topic.text("fi").title == "Uusi otsikko"
    assert [q.texts["fi"] for q in topic.questions] == ["Mikä vaihtoehto?", "Mitkä palvelut?"]


def test_the_poll_is_refused_when_answers_came_while_the_form_was_open(org, open_topic, resident):
    single, _multiple = open_topic.questions
    participation.answer_poll(open_topic, resident, {single.id: [single.options[0].id]})
    db.session.flush()
    data = services.TopicData(
        opens_at=open_topic.opens_at,
        closes_at=open_topic.closes_at,
        texts={"fi": services.TopicText("Otsikko")},
        languages=["fi"],
        slug=open_topic.slug,
        poll=[
            services.QuestionData(QuestionKind.SINGLE, {"fi": "Muu?"}, [{"fi": "A"}, {"fi": "B"}])
        ],
    )
    with pytest.raises(services.PollLockedError):
        services.update_topic(open_topic, data, open_topic.revision)
    db.session.rollback()
    assert open_topic.revision == 1


# --- edit and stale edits --------------------------------------------------------------------


def test_edit_shows_the_saved_values_and_saves_changes(browser, admin, org, open_topic):
    page = text(browser.get(_edit(open_topic)))
    assert input_value(page, "title_fi") == "Kirjaston aukioloajat"
    assert input_value(page, "revision") == "1"
    data = form_values(page, _edit(open_topic))
    assert data["q0_options_fi"] == "Kyllä\nEi\nEn osaa sanoa"
    data["title_fi"] = "Kirjaston uudet aukioloajat"
    response = browser.post(_edit(open_topic), data=data)
    assert response.status_code == 303 and response.headers["Location"] == _edit(open_topic)
    topic = topic_by_slug(org, open_topic.slug)
    assert topic.text("fi").title == "Kirjaston uudet aukioloajat"
    assert topic.revision == 2
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "topic.edit"))
    assert event.target_id == topic.id
    assert event.details["changed"] == ["texts"]  # the poll and the rest came back as they were


def test_every_save_moves_the_revision_on(browser, admin, org, open_topic):
    for revision in (1, 2, 3):
        data = topic_form(slug=open_topic.slug, revision=str(revision), title_fi="Sama")
        assert browser.post(_edit(open_topic), data=data).status_code == 303
    assert topic_by_slug(org, open_topic.slug).revision == 4


def test_a_stale_form_overwrites_nothing_and_shows_both_versions(browser, admin, org, open_topic):
    theirs = topic_form(slug=open_topic.slug, revision="1", title_fi="Toisen tallentama")
    assert browser.post(_edit(open_topic), data=theirs).status_code == 303
    mine = topic_form(
        slug=open_topic.slug, revision="1", title_fi="Minun otsikkoni", body_fi="Minun tekstini"
    )
    response = browser.post(_edit(open_topic), data=mine)
    assert response.status_code == 409
    page = main_of(text(response))
    assert 'value="Toisen tallentama"' in page  # the form shows the saved version
    assert 'name="revision" type="hidden" value="2"' in page
    assert "Minun otsikkoni" in page and "Minun tekstini" in page  # what I wrote, to copy
    assert tr("Your changes were not saved", "fi") in page
    topic = topic_by_slug(org, open_topic.slug)
    assert topic.text("fi").title == "Toisen tallentama" and topic.revision == 2
    assert count(AuditEvent, AuditEvent.action == "topic.edit") == 1


def test_the_revision_is_compared_and_set_in_one_statement(org, open_topic):
    data = services.TopicData(
        opens_at=open_topic.opens_at,
        closes_at=open_topic.closes_at,
        texts={"fi": services.TopicText("Ensimmäinen")},
        languages=["fi"],
        slug=open_topic.slug,
    )
    services.update_topic(open_topic, data, 1)
    db.session.commit()
    with pytest.raises(services.StaleEditError):
        services.update_topic(open_topic, data, 1)
    db.session.rollback()
    assert db.session.get(Topic, open_topic.id).revision == 2


def test_saving_without_changes_is_still_a_save(browser, admin, org, open_topic):
    data = topic_form(slug=open_topic.slug, revision="1", title_fi="Kirjaston aukioloajat")
    assert browser.post(_edit(open_topic), data=data).status_code == 303
    assert topic_by_slug(org, open_topic.slug).revision == 2


def test_csrf_token_is_required(browser, admin, csrf_enabled):
    response = browser.post(NEW, data=topic_form())
    assert response.status_code == 400
    assert count(Topic) == 0


def test_the_admin_turns_rating_comments_one_at_a_time_on_and_off(browser, admin, org, open_topic):
    """The setting behind the topic's "Rate comments" page (consultations.rating): off by
    default, saved from the form, shown ticked when the form is opened again."""
    assert not open_topic.offers_rating
    assert "offers_rating" not in form_values(
        text(browser.get(_edit(open_topic))), _edit(open_topic)
    )
    on = topic_form(slug=open_topic.slug, revision="1", title_fi="Aihe", offers_rating="y")
    assert browser.post(_edit(open_topic), data=on).status_code == 303
    assert topic_by_slug(org, open_topic.slug).offers_rating is True
    values = form_values(text(browser.get(_edit(open_topic))), _edit(open_topic))
    assert values["offers_rating"] == "y"
    off = topic_form(slug=open_topic.slug, revision="2", title_fi="Aihe")
    assert browser.post(_edit(open_topic), data=off).status_code == 303
    assert topic_by_slug(org, open_topic.slug).offers_rating is False
