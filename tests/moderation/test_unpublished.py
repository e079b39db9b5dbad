"""A comment hidden before anyone saw it (it waited for its first check): the discussion
shows no "removed by the moderator" in its place, the writer still sees it with the
reason and is told; restoring it publishes it for the first time and says so. A comment
that had been shown keeps its place with the reason, as before."""

from __future__ import annotations

import re

import pytest

from eraati.consultations.models import CommentStatus
from eraati.core.time import utcnow
from eraati.moderation import queries, services
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
REMOVED = "Hidden by the moderator"


@pytest.fixture
def writer(db):
    user = factories.make_user("kirjoittaja@example.fi", name="Kalle Kirjoittaja", locale="sv")
    db.session.commit()
    return user


@pytest.fixture
def waiting(db, open_topic, writer):
    """A pre-moderated comment: never shown to anyone but its writer."""
    made = add_comment(open_topic, writer, "Ei koskaan julkaistu.", status=CommentStatus.PENDING)
    db.session.commit()
    return made


def _hide(browser, comment, reason):
    return browser.post(f"{BASE}/comments/{comment.id}/hide", data={"reason": str(reason.id)})


def _thread_as(client, browser, login_as, user, topic) -> str:
    if user is None:
        with client.session_transaction() as session:
            session.clear()  # a visitor
    else:
        login_as(user)
    choose_language(client, "en")
    return text(browser.get(topic_path(topic)))


def _article(page: str, comment) -> str | None:
    match = re.search(rf'<article id="c{comment.id}".*?</article>', page, re.S)
    return match.group(0) if match else None


def test_hiding_a_never_published_comment_leaves_no_mark_in_the_discussion(
    db, client, browser, login_as, moderator, resident, open_topic, reasons, waiting, outbox
):
    login_as(moderator)
    response = _hide(browser, waiting, reasons[0])
    assert response.status_code == 303
    assert "It was never published, so the discussion does not show it" in flashes(
        text(browser.get(response.headers["Location"]))
    )
    assert fresh(waiting).status == CommentStatus.HIDDEN
    [row] = audit_rows("comment.hide")  # audited as any hiding
    assert row.details["was"] == "pending"
    assert counters(open_topic) == (0, 1)
    assert_counters_exact()

    for viewer in (None, resident):
        page = _thread_as(client, browser, login_as, viewer, open_topic)
        assert _article(page, waiting) is None
        assert REMOVED not in page

    own = _article(_thread_as(client, browser, login_as, waiting.author, open_topic), waiting)
    assert own is not None  # the writer still sees their comment's state and the reason
    assert f"{REMOVED}: Insulting or inappropriate language" in own
    assert "Ei koskaan julkaistu." in own

    [mail] = outbox  # the writer is told, in Swedish, without "others see the reason"
    assert mail.subject == "Din kommentar har dolts av moderatorn"
    assert "Din kommentar publicerades inte, och andra ser den inte." in mail.body
    assert "i stället" not in mail.body


def test_the_moderators_page_says_what_hiding_and_restoring_an_unseen_comment_does(
    db, browser, login_as, moderator, reasons, waiting
):
    login_as(moderator)
    before = " ".join(main_of(text(browser.get(f"{BASE}/comments/{waiting.id}"))).split())
    assert "The comment has never been shown in the discussion." in before
    assert "Hiding it keeps it from being published, and leaves no mark" in before
    assert "told by e-mail that the comment was not published, with the reason" in before
    assert "Others see the reason in place of the text" not in before
    # The fields' hints do not promise readers a reason they will never see.
    assert "Only the writer sees the reason" in before
    assert "Shown to the writer only, after the reason." in before
    assert "The writer sees your explanation as you wrote it." in before
    assert "Shown to everyone" not in before
    assert "Each reader sees the reason" not in before
    assert "Readers of every language" not in before
    _hide(browser, waiting, reasons[0])
    after = main_of(text(browser.get(f"{BASE}/comments/{waiting.id}")))
    assert "Reason shown to the writer only" in after
    assert "Reason shown in the discussion" not in after
    assert "publishes it in the discussion for the first time" in after
    assert ">Approve and publish</button>" in after


def test_restoring_a_never_published_comment_publishes_it_and_says_so(
    db, client, browser, login_as, moderator, resident, open_topic, reasons, waiting, outbox
):
    login_as(moderator)
    _hide(browser, waiting, reasons[0])
    response = browser.post(f"{BASE}/comments/{waiting.id}/restore")
    assert response.status_code == 303
    messages = flashes(text(browser.get(response.headers["Location"])))
    assert "The comment was approved and published." in messages
    assert "shown again" not in messages
    assert fresh(waiting).status == CommentStatus.VISIBLE
    assert [r.action for r in audit_rows()] == ["comment.hide", "comment.restore"]
    assert counters(open_topic) == (1, 0)
    assert_counters_exact()

    assert [m.subject for m in outbox] == [
        "Din kommentar har dolts av moderatorn",
        "Din kommentar har publicerats",
    ]
    assert "har godkänt din kommentar" in outbox[1].body
    assert "igen" not in outbox[1].body

    page = _thread_as(client, browser, login_as, resident, open_topic)
    assert "Ei koskaan julkaistu." in _article(page, waiting)


def test_a_comment_hidden_again_after_it_was_published_keeps_its_place(
    db, client, browser, login_as, moderator, resident, open_topic, reasons, waiting, outbox
):
    """Only the last hiding counts: once published, the thread shows where it was."""
    login_as(moderator)
    _hide(browser, waiting, reasons[0])
    browser.post(f"{BASE}/comments/{waiting.id}/restore")
    response = _hide(browser, waiting, reasons[1])
    assert "The discussion shows the reason in its place." in flashes(
        text(browser.get(response.headers["Location"]))
    )
    page = _thread_as(client, browser, login_as, resident, open_topic)
    assert REMOVED in _article(page, waiting)
    assert "Ei koskaan julkaistu." not in page
    assert "Andra ser nu skälet i stället" in outbox[-1].body

    login_as(moderator)
    browser.post(f"{BASE}/comments/{waiting.id}/restore")
    assert "The comment was restored and is shown again." in flashes(
        text(browser.get(f"{BASE}/comments/{waiting.id}"))
    )
    assert outbox[-1].subject == "Din kommentar visas igen"


@pytest.mark.parametrize("case", ["held after reports", "waiting again with replies"])
def test_a_waiting_comment_that_had_been_shown_keeps_its_place_when_hidden(
    db, client, browser, login_as, moderator, resident, open_topic, reasons, writer, case
):
    if case == "held after reports":
        comment = add_comment(
            open_topic,
            writer,
            "Oli näkyvissä.",
            status=CommentStatus.PENDING,
            auto_hidden_at=utcnow(),
        )
    else:  # e.g. edited on a pre-moderated topic after others had replied
        comment = add_comment(open_topic, writer, "Oli näkyvissä.", status=CommentStatus.PENDING)
        db.session.flush()
        add_comment(open_topic, resident, "Vastaus.", parent=comment)
    db.session.commit()
    assert queries.never_shown([comment.id]) == set()
    login_as(moderator)
    _hide(browser, comment, reasons[0])
    page = _thread_as(client, browser, login_as, None, open_topic)
    assert REMOVED in _article(page, comment)


def test_bulk_hiding_tells_each_writer_whether_others_saw_their_comment(
    db, browser, login_as, moderator, open_topic, reasons, waiting, resident, outbox
):
    shown = add_comment(open_topic, resident, "Näkyvä.")
    db.session.commit()
    login_as(moderator)
    response = browser.post(
        f"{BASE}/bulk",
        data={
            "ids": [str(waiting.id), str(shown.id)],
            "action": "hide",
            "reason": str(reasons[0].id),
        },
    )
    assert response.status_code == 303
    bodies = {m.to[0]: m.body for m in outbox}
    assert "Din kommentar publicerades inte" in bodies["kirjoittaja@example.fi"]
    assert "Kommenttiasi ei julkaistu" not in bodies["asukas@example.fi"]
    assert "Muut näkevät nyt sen paikalla" in bodies["asukas@example.fi"]
    assert queries.never_shown([waiting.id, shown.id]) == {waiting.id}


def test_never_shown_is_one_query_of_the_history(db, moderator, open_topic, reasons, waiting):
    assert queries.never_shown([waiting.id]) == {waiting.id}
    services.hide_comment(waiting, reasons[0], None, moderator)
    db.session.commit()
    assert queries.never_shown([waiting.id]) == {waiting.id}
    assert queries.never_shown([]) == set()


def test_each_organisations_history_is_its_own(
    db, client, browser, login_as, moderator, open_topic, other_org, reasons, waiting
):
    """The rule reads the audit rows of the comment's own organisation, in every one."""
    from eraati.moderation.reasons import create_default_reasons

    elsewhere = factories.make_topic(other_org, slug="muualla")
    theirs = add_comment(elsewhere, None, "Muualla odottava.", status=CommentStatus.PENDING)
    shown = add_comment(elsewhere, None, "Muualla näkyvä.")
    their_reason = create_default_reasons(other_org)[0]
    db.session.commit()
    for comment in (theirs, shown, waiting):
        services.hide_comment(
            comment, their_reason if comment is not waiting else reasons[0], None, moderator
        )
    db.session.commit()
    assert queries.never_shown([theirs.id, shown.id, waiting.id]) == {theirs.id, waiting.id}
    page = _thread_as(client, browser, login_as, None, elsewhere)
    assert _article(page, theirs) is None
    assert REMOVED in _article(page, shown)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fi", ("Vain kirjoittaja näkee syyn", "Näytetään vain kirjoittajalle syyn perässä.")),
        ("sv", ("Bara skribenten ser skälet", "Visas bara för skribenten, efter skälet.")),
    ],
)
def test_the_hide_form_of_a_waiting_comment_in_finnish_and_swedish(
    db, client, browser, login_as, moderator, reasons, waiting, lang, words
):
    login_as(moderator)
    choose_language(client, lang)
    page = " ".join(main_of(text(browser.get(f"{BASE}/comments/{waiting.id}"))).split())
    for phrase in words:
        assert phrase in page


def test_the_hide_form_of_a_published_comment_still_speaks_of_readers(
    db, browser, login_as, moderator, open_topic, reasons, writer
):
    shown = add_comment(open_topic, writer, "Julkaistu.")
    db.session.commit()
    login_as(moderator)
    page = " ".join(main_of(text(browser.get(f"{BASE}/comments/{shown.id}"))).split())
    assert "Others see the reason in place of the text" in page
    assert "Shown to everyone after the reason." in page
    assert "Only the writer sees the reason" not in page
