"""Hiding with a reason, restoring and approving: the counters, the thread, the writer's
e-mail in their own language, the audit log, and bad input."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy.orm.attributes import set_committed_value

from eraati.consultations.models import Comment, CommentStatus
from eraati.core.time import utcnow
from eraati.extensions import db as _db
from eraati.moderation import services
from tests import factories
from tests.consultations.topic_support import choose_language, topic_path
from tests.moderation.support import (
    add_comment,
    assert_counters_exact,
    audit_rows,
    counters,
    flashes,
    fresh,
    main_of,
    text,
)

BASE = "/staff/keitele/moderation"


@pytest.fixture
def writer(db):
    user = factories.make_user("kirjoittaja@example.fi", name="Kalle Kirjoittaja", locale="sv")
    db.session.commit()
    return user


@pytest.fixture
def comment(db, open_topic, writer):
    made = add_comment(open_topic, writer, "Tämä on asiaton kommentti.")
    db.session.commit()
    return made


def _hide(browser, comment, reason, details="", **extra):
    return browser.post(
        f"{BASE}/comments/{comment.id}/hide",
        data={"reason": str(reason.id), "details": details, **extra},
    )


# --- hide ------------------------------------------------------------------------------------


def test_hide_keeps_the_text_moves_the_counters_and_is_audited(
    db, browser, login_as, moderator, open_topic, reasons, comment
):
    login_as(moderator)
    assert counters(open_topic) == (1, 0)
    response = _hide(browser, comment, reasons[0], details="Nimittelyä")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/comments/{comment.id}"

    hidden = fresh(comment)
    assert hidden.status == CommentStatus.HIDDEN
    assert hidden.body == "Tämä on asiaton kommentti."  # never blanked
    assert hidden.hidden_reason == "Loukkaava tai asiaton kielenkäyttö: Nimittelyä"
    assert hidden.hidden_reason_id == reasons[0].id
    assert hidden.hidden_by_id == moderator.id and hidden.hidden_at is not None
    assert hidden.reviewed_by_id == moderator.id and hidden.reviewed_at is not None
    assert counters(open_topic) == (0, 1)
    assert_counters_exact()

    [row] = audit_rows("comment.hide")
    assert row.actor_id == moderator.id
    assert row.target_type == "Comment" and row.target_id == comment.id
    assert row.reason == "Loukkaava tai asiaton kielenkäyttö: Nimittelyä"
    assert row.details["comment_id"] == comment.id
    assert row.details["reason_id"] == reasons[0].id
    # Named by its id and its topic, never by its text (the log is kept for ever).
    assert row.target_label == "Kirjaston aukioloajat"
    assert row.details["topic_id"] == open_topic.id
    assert row.organisation_id == open_topic.organisation_id


def test_hiding_a_waiting_comment_counts_it_as_hidden_only(
    db, moderator, open_topic, reasons, writer
):
    waiting = add_comment(open_topic, writer, status=CommentStatus.PENDING)
    db.session.commit()
    services.hide_comment(waiting, reasons[1], None, moderator)
    db.session.commit()
    assert counters(open_topic) == (0, 1)
    assert fresh(waiting).hidden_reason == "Henkilötietoja tai yksityiselämää koskevia tietoja"
    assert_counters_exact()


def test_the_thread_shows_the_reason_and_keeps_the_replies(
    db, app, client, browser, login_as, moderator, open_topic, reasons, comment, resident
):
    reply = add_comment(open_topic, resident, "Vastaus jää näkyviin.", parent=comment)
    db.session.commit()
    login_as(moderator)
    _hide(browser, comment, reasons[0])
    with client.session_transaction() as session:
        session.clear()  # a visitor
    choose_language(client, "en")
    page = text(browser.get(topic_path(open_topic)))
    article = re.search(rf'<article id="c{comment.id}".*?</article>', page, re.S).group(0)
    # The organisation's reason in the reader's language (it was stored in Finnish).
    assert "Hidden by the moderator: Insulting or inappropriate language" in article
    assert "Tämä on asiaton kommentti." not in page
    assert "Vastaus jää näkyviin." in page
    assert f'id="c{reply.id}"' in page


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "Moderaattori piilotti kommentin: Loukkaava tai asiaton kielenkäyttö. "
               "Moderaattorin huomautus: Nimittelyä."),
        ("sv", "Dold av moderatorn: {sv}. "
               'Moderatorns anmärkning: <span lang="fi">Nimittelyä.</span>'),
        ("en", "Hidden by the moderator: Insulting or inappropriate language. "
               'The moderator\'s note: <span lang="fi">Nimittelyä.</span>'),
    ],
)  # fmt: skip
def test_the_reason_is_in_the_readers_language_and_the_note_as_written(
    db, app, client, browser, login_as, moderator, open_topic, reasons, comment, lang, expected
):
    login_as(moderator)  # reads English, writes the note in Finnish and says so
    _hide(browser, comment, reasons[0], details="Nimittelyä.", note_lang="fi")
    assert fresh(comment).hidden_reason == "Loukkaava tai asiaton kielenkäyttö: Nimittelyä."
    assert fresh(comment).hidden_note_lang == "fi"
    with client.session_transaction() as session:
        session.clear()
    choose_language(client, lang)
    page = html.unescape(text(browser.get(topic_path(open_topic))))
    expected = expected.format(sv=reasons[0].texts.get("sv", ""))
    assert expected in " ".join(page.split())


@pytest.mark.parametrize(
    ("chosen", "note", "marked_for"),
    [
        (None, "Name-calling.", {"fi": "en", "sv": "en", "en": None}),  # the pages' language
        ("sv", "Personangrepp.", {"fi": "sv", "sv": None, "en": "sv"}),
    ],
)
def test_the_note_is_marked_with_the_language_it_was_written_in(
    db, client, browser, login_as, moderator, open_topic, reasons, comment, chosen, note,
    marked_for,
):  # fmt: skip
    login_as(moderator)  # the moderator reads English
    page = text(browser.get(f"{BASE}/comments/{comment.id}"))
    assert '<option selected value="en">English</option>' in page  # offered as the default
    assert "Choose the language you wrote it in" in page
    extra = {"note_lang": chosen} if chosen else {}
    assert _hide(browser, comment, reasons[0], details=note, **extra).status_code == 303
    expected = chosen or "en"
    assert fresh(comment).hidden_note_lang == expected
    [row] = audit_rows("comment.hide")
    assert row.details["note_lang"] == expected
    for reader, lang in marked_for.items():
        with client.session_transaction() as session:
            session.clear()
        choose_language(client, reader)
        article = re.search(
            rf'<article id="c{comment.id}".*?</article>',
            text(browser.get(topic_path(open_topic))),
            re.S,
        ).group(0)
        if lang:
            assert f'<span lang="{lang}">{note}</span>' in article, reader
        else:
            assert f">{note}</span>" not in article and note in article, reader


def test_a_note_language_not_offered_is_refused_and_nothing_is_hidden(
    db, browser, login_as, moderator, open_topic, reasons, comment, outbox
):
    login_as(moderator)
    response = _hide(browser, comment, reasons[0], details="Oma selitys", note_lang="de")
    assert response.status_code == 422
    page = main_of(text(response))
    assert "Choose one of the languages in the list." in page
    assert "Oma selitys" in page
    assert fresh(comment).status == CommentStatus.VISIBLE
    assert fresh(comment).hidden_note_lang is None
    assert audit_rows() == [] and outbox == []


def test_the_hide_form_tells_in_which_language_readers_see_the_reason(
    db, browser, login_as, moderator, reasons, comment
):
    login_as(moderator)
    page = " ".join(text(browser.get(f"{BASE}/comments/{comment.id}")).split())
    assert (
        "Each reader sees the reason in their own language if it has been written in it"
        " (Reasons for hiding), otherwise in Finnish." in page
    )
    assert "main language" not in page


def test_the_writer_sees_the_reason_and_may_open_their_own_text(
    db, client, browser, login_as, moderator, open_topic, reasons, comment, writer, resident
):
    login_as(moderator)
    _hide(browser, comment, reasons[0])
    login_as(writer)
    choose_language(client, "en")
    own = text(browser.get(topic_path(open_topic)))
    assert "Hidden by the moderator: Insulting or inappropriate language" in own
    assert "<summary>Show your text (only you can see it)</summary>" in own
    assert "Tämä on asiaton kommentti." in own
    login_as(resident)  # anyone else: the reason only
    other = text(browser.get(topic_path(open_topic)))
    assert "Hidden by the moderator: Insulting or inappropriate language" in other
    assert "Tämä on asiaton kommentti." not in other
    assert "Show your text" not in other


def test_hide_mails_the_writer_in_their_own_language(
    db, browser, login_as, moderator, open_topic, reasons, comment, writer, outbox
):
    login_as(moderator)  # the moderator reads English; the writer chose Swedish
    _hide(browser, comment, reasons[0], details="Nimittelyä")
    [mail] = outbox
    assert mail.to == ["kirjoittaja@example.fi"]
    assert mail.subject == "Din kommentar har dolts av moderatorn"
    assert "Kränkande eller osakligt språk: Nimittelyä" in mail.body  # the Swedish template
    assert "Kirjaston aukioloajat" in mail.body  # the topic's title (only in Finnish)
    assert f"http://localhost/keitele/kirjaston-aukioloajat?lang=sv#c{comment.id}" in mail.body
    assert "Hej Kalle Kirjoittaja," in mail.body
    # Hidden, as the discussion and the moderator's button say: kept, and restorable.
    body = " ".join(mail.body.split())
    assert "Din kommentar är dold, inte borttagen" in body
    assert "en moderator kan återställa den" in body
    assert "borttagen av" not in body.lower()


def test_anonymous_and_paper_comments_send_no_mail(
    db, moderator, open_topic, reasons, browser, login_as, outbox
):
    anonymous = add_comment(open_topic, None, nickname="Mökkiläinen")
    db.session.commit()
    login_as(moderator)
    assert _hide(browser, anonymous, reasons[0]).status_code == 303
    assert fresh(anonymous).status == CommentStatus.HIDDEN
    assert outbox == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "", "details": "Oma selitys"}, "Choose a reason."),
        ({"reason": "999999", "details": "Oma selitys"}, "Choose one of the reasons in the list."),
        ({"reason": "abc", "details": "Oma selitys"}, "Choose one of the reasons in the list."),
        ({"reason": "{reason}", "details": "x" * 301}, "Use at most 300 characters."),
    ],
)
def test_bad_hide_input_shows_the_error_keeps_the_text_and_writes_nothing(
    db, browser, login_as, moderator, open_topic, reasons, comment, outbox, data, message
):
    login_as(moderator)
    payload = {k: v.format(reason=reasons[0].id) for k, v in data.items()}
    response = browser.post(f"{BASE}/comments/{comment.id}/hide", data=payload)
    assert response.status_code == 422
    page = main_of(text(response))
    assert message in page
    assert 'class="error-summary"' in page
    assert payload["details"] in page  # what was typed is kept
    assert fresh(comment).status == CommentStatus.VISIBLE
    assert counters(open_topic) == (1, 0)
    assert audit_rows() == [] and outbox == []


def test_an_inactive_reason_is_not_offered_nor_accepted(
    db, browser, login_as, moderator, reasons, comment
):
    services.set_reason_active(reasons[2], False, moderator)
    db.session.commit()
    login_as(moderator)
    page = text(browser.get(f"{BASE}/comments/{comment.id}"))
    assert "Mainonta tai roskaviesti" not in page and "Advertising or spam" not in page
    assert "Insulting or inappropriate language" in page  # the moderator's language
    response = _hide(browser, comment, reasons[2])
    assert response.status_code == 422
    assert fresh(comment).status == CommentStatus.VISIBLE


def test_hiding_twice_changes_nothing_the_second_time(
    db, browser, login_as, moderator, open_topic, reasons, comment
):
    login_as(moderator)
    _hide(browser, comment, reasons[0])
    response = _hide(browser, comment, reasons[1])
    assert response.status_code == 303
    assert "had changed in the meantime" in flashes(text(browser.get(BASE)))
    assert fresh(comment).hidden_reason_id == reasons[0].id
    assert counters(open_topic) == (0, 1)
    assert len(audit_rows("comment.hide")) == 1


def test_a_stale_comment_object_cannot_be_counted_twice(db, moderator, open_topic, reasons):
    """Two moderators at once: the second conditional UPDATE finds no visible row."""
    comment = add_comment(open_topic, None, nickname="N")
    db.session.commit()
    services.hide_comment(comment, reasons[0], None, moderator)
    db.session.commit()
    stale = fresh(comment)
    # What the other moderator's request had loaded before the first one committed.
    set_committed_value(stale, "status", CommentStatus.VISIBLE)
    with pytest.raises(services.CommentChangedError):
        services.hide_comment(stale, reasons[1], None, moderator)
    _db.session.rollback()
    assert counters(open_topic) == (0, 1)
    assert_counters_exact()


def test_a_deleted_comment_cannot_be_hidden(db, browser, login_as, moderator, open_topic, reasons):
    deleted = add_comment(open_topic, None, nickname="N", status=CommentStatus.DELETED, body="")
    db.session.commit()
    login_as(moderator)
    response = _hide(browser, deleted, reasons[0])
    assert response.status_code == 303
    assert fresh(deleted).status == CommentStatus.DELETED
    assert audit_rows() == []


def test_hide_returns_to_the_queue_page_it_came_from(
    db, browser, login_as, moderator, reasons, comment
):
    login_as(moderator)
    back = f"{BASE}?tab=recent"
    response = _hide(browser, comment, reasons[0], next=back)
    assert response.headers["Location"] == back
    other = add_comment(fresh(comment).topic, None, nickname="N")
    db.session.commit()
    evil = _hide(browser, other, reasons[0], next="https://evil.example/")
    assert evil.headers["Location"].startswith(f"{BASE}/comments/")


# --- restore ---------------------------------------------------------------------------------


def test_restore_shows_the_comment_again_and_keeps_the_record(
    db, browser, login_as, moderator, org_admin, open_topic, reasons, comment, writer, outbox
):
    login_as(moderator)
    _hide(browser, comment, reasons[0], details="Nimittelyä")
    login_as(org_admin)
    response = browser.post(f"{BASE}/comments/{comment.id}/restore")
    assert response.status_code == 303

    restored = fresh(comment)
    assert restored.status == CommentStatus.VISIBLE
    assert restored.hidden_at is None and restored.hidden_by_id is None
    assert restored.hidden_reason is None and restored.hidden_reason_id is None
    assert restored.hidden_note_lang is None
    assert restored.reviewed_by_id == org_admin.id
    assert counters(open_topic) == (1, 0)
    assert_counters_exact()

    hide_row, restore_row = audit_rows("comment.hide") + audit_rows("comment.restore")
    assert restore_row.actor_id == org_admin.id and restore_row.target_id == comment.id
    assert restore_row.reason == "Loukkaava tai asiaton kielenkäyttö: Nimittelyä"
    assert restore_row.details["previous"]["hidden_by_id"] == moderator.id
    assert restore_row.details["previous"]["hidden_note_lang"] == "en"
    assert hide_row.reason == restore_row.reason  # the hiding stays on record

    assert [m.subject for m in outbox] == [
        "Din kommentar har dolts av moderatorn",
        "Din kommentar visas igen",
    ]


def test_restoring_a_visible_comment_changes_nothing(
    db, browser, login_as, moderator, open_topic, comment
):
    login_as(moderator)
    response = browser.post(f"{BASE}/comments/{comment.id}/restore")
    assert response.status_code == 303
    assert counters(open_topic) == (1, 0)
    assert audit_rows() == []


# --- approve ---------------------------------------------------------------------------------


def test_approve_publishes_a_waiting_comment(db, browser, login_as, moderator, open_topic, writer):
    waiting = add_comment(open_topic, writer, "Odottaa", status=CommentStatus.PENDING)
    db.session.commit()
    login_as(moderator)
    response = browser.post(f"{BASE}/comments/{waiting.id}/approve")
    assert response.status_code == 303
    approved = fresh(waiting)
    assert approved.status == CommentStatus.VISIBLE
    assert approved.reviewed_by_id == moderator.id
    assert counters(open_topic) == (1, 0)
    assert_counters_exact()
    [row] = audit_rows("comment.approve")
    assert row.target_id == waiting.id and row.details["was"] == "pending"


def test_approving_a_reported_visible_comment_marks_it_checked(db, moderator, open_topic, comment):
    services.approve_comment(comment, moderator, now=utcnow())
    db.session.commit()
    assert fresh(comment).status == CommentStatus.VISIBLE
    assert fresh(comment).reviewed_at is not None
    assert counters(open_topic) == (1, 0)
    assert audit_rows("comment.approve")[0].details["was"] == "visible"


def test_a_hidden_comment_is_not_approved(
    db, browser, login_as, moderator, open_topic, reasons, comment
):
    login_as(moderator)
    _hide(browser, comment, reasons[0])
    browser.post(f"{BASE}/comments/{comment.id}/approve")
    assert fresh(comment).status == CommentStatus.HIDDEN
    assert counters(open_topic) == (0, 1)
    assert audit_rows("comment.approve") == []


def test_the_comment_page_shows_reports_and_the_right_actions(
    db, browser, login_as, moderator, open_topic, reasons, comment, resident, other_resident
):
    from eraati.consultations import services as comment_services
    from eraati.consultations.models import FlagReason

    comment_services.flag_comment(comment, resident, FlagReason.SPAM, "Mainos")
    comment_services.flag_comment(comment, other_resident, FlagReason.INSULTING)
    db.session.commit()
    login_as(moderator)
    page = main_of(text(browser.get(f"{BASE}/comments/{comment.id}")))
    assert "<caption>Reports (2)</caption>" in page
    assert "Spam or advertising" in page and "Mainos" in page
    assert "Keep visible" in page and "Hide the comment" in page
    assert "Restore the comment" not in page
    assert f"/staff/keitele/blocks?comment={comment.id}" in page


def test_comment_ids_of_no_comment_are_not_found(browser, login_as, moderator, org):
    login_as(moderator)
    assert browser.get(f"{BASE}/comments/987654").status_code == 404
    assert browser.post(f"{BASE}/comments/987654/approve").status_code == 404


def test_counters_stay_exact_over_a_whole_round(db, moderator, open_topic, reasons, writer):
    comments = [
        add_comment(open_topic, writer, status=status)
        for status in (CommentStatus.VISIBLE, CommentStatus.PENDING, CommentStatus.VISIBLE)
    ]
    db.session.commit()
    a, b, c = comments
    services.hide_comment(a, reasons[0], None, moderator)
    services.approve_comment(b, moderator)
    services.hide_comment(b, reasons[3], "Ei aiheessa", moderator)
    services.restore_comment(a, moderator)
    services.hide_comment(c, reasons[4], None, moderator)
    db.session.commit()
    assert counters(open_topic) == (1, 2)
    assert_counters_exact()
    assert [r.action for r in audit_rows()] == [
        "comment.hide",
        "comment.approve",
        "comment.hide",
        "comment.restore",
        "comment.hide",
    ]
    assert _db.session.get(Comment, b.id).hidden_reason == "Ei liity kuultavaan asiaan: Ei aiheessa"


def test_staff_pages_and_the_audit_log_mark_the_note_with_its_language(
    db, browser, login_as, moderator, org_admin, open_topic, reasons, comment
):
    """The stored reason is Finnish (the organisation's) with a note in Finnish; on the
    English staff pages both parts carry lang="fi", the note on its own."""
    login_as(moderator)
    _hide(browser, comment, reasons[0], details="Nimittelyä.", note_lang="fi")
    marked = (
        '<span lang="fi">Loukkaava tai asiaton kielenkäyttö</span>: '
        '<span lang="fi">Nimittelyä.</span>'
    )
    detail = html.unescape(text(browser.get(f"{BASE}/comments/{comment.id}")))
    assert marked in detail
    queue = html.unescape(text(browser.get(f"{BASE}?tab=recent")))
    assert marked in queue
    login_as(org_admin)
    log = html.unescape(text(browser.get("/staff/keitele/audit")))
    assert marked in log


def test_a_swedish_note_keeps_its_language_after_the_template_is_renamed(
    db, browser, login_as, moderator, org_admin, open_topic, reasons, comment
):
    login_as(moderator)
    _hide(browser, comment, reasons[0], details="Personangrepp.", note_lang="sv")
    services.edit_reason(reasons[0], {"fi": "Asiaton kieli", "en": "Bad language"}, moderator)
    db.session.commit()
    detail = html.unescape(text(browser.get(f"{BASE}/comments/{comment.id}")))
    assert ': <span lang="sv">Personangrepp.</span>' in detail
    login_as(org_admin)
    log = html.unescape(text(browser.get("/staff/keitele/audit")))
    assert ': <span lang="sv">Personangrepp.</span>' in log
