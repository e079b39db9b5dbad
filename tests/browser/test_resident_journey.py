"""Journey 1 of PRODUCT.md in a real browser: a resident of Vieremä with a cottage in Tervo.

She registers once (home municipality Vieremä), confirms her address from the e-mail,
finds open topics of Vieremä and Tervo on the front page, comments on the Vieremä topic
in her language, replies to another comment, supports the proposal, answers the Tervo
poll, changes her answer and follows the topic. On the way the forms are sent wrong
once (empty, weak password, empty comment). Every page is checked by ``check_page``.

In Finnish, Swedish and English, each in three modes: desktop with JavaScript, desktop
without JavaScript, and a 360 x 740 phone with the text at 200 %; once more in Finnish
with the keyboard alone.
"""

from __future__ import annotations

import contextlib
import uuid

import pytest
import sqlalchemy as sa
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from eraati.accounts import passwords
from eraati.accounts.models import User
from eraati.consultations.models import (
    Answer,
    Comment,
    Follow,
    Stance,
    Topic,
    TopicStance,
)
from eraati.organisations.models import Organisation
from tests.browser.checks import KEYBOARD, MODES
from tests.browser.conftest import LANGS
from tests.browser.site import (
    PEOPLE,
    SHY,
    Site,
    TopicPage,
    municipality_name,
    topic_title,
)

VIEREMA = ("vierema", "koulukeskuksen-lahiliikuntapaikka")
TERVO = ("tervo", "rantasaunan-vuorot")
PARENT_COMMENT = "Valaistu kävelyreitti palvelisi"  # Pekka's comment on the Vieremä topic
OTHER_COMMENT = "Skeittialue pitää nuoret kylillä"  # Kalle's

WORDS = {
    "fi": ("Kuntoiluvälineet sopisivat myös ikäihmisille", "Hyvä ajatus, kannatan"),
    "sv": ("Utegymmet passar också äldre invånare", "Bra tanke, jag håller med"),
    "en": ("An outdoor gym would suit older residents too", "Good idea, I agree"),
}


def _topic_row(session, org: str, slug: str) -> Topic:
    return session.scalar(
        sa.select(Topic).join(Organisation).where(Organisation.slug == org, Topic.slug == slug)
    )


def resident_journey(site: Site, lang: str, open_site) -> None:
    """Journey 1 from the front page to following the topic, asserting each effect.
    ``open_site`` gives Pekka his own browser, to open the e-mail of her reply."""
    marker = uuid.uuid4().hex[:6]  # this run's texts, told apart from other runs'
    comment_text, reply_text = (f"{w} ({marker})." for w in WORDS[lang])

    # The front page in Finnish; the language switcher gives her language.
    site.check("front")
    if lang != "fi":
        site.switch_language(lang, name="front")

    # She wants to comment on the Vieremä topic and registers from its "Register" link:
    # first empty, then with a password that is too short, then right.
    site.open_topic(*VIEREMA, name="topic-visitor")
    site.open_registration(within=site.main())
    site.press(site.button("Register", within=site.main()), "register-empty")
    summary = site.page.locator(".error-summary")
    assert summary.get_by_role("link", name=site.t("E-mail address")).count() == 1
    assert site.t("Enter your e-mail address.") in summary.inner_text().replace(SHY, "")
    assert site.t("You can register only if you accept the terms.") in summary.inner_text().replace(
        SHY, ""
    )

    email = f"mokki-{marker}@example.fi"
    site.fill_registration(email=email, name="Kaisa Mökkiläinen", password="lyhyt")
    site.press(site.button("Register", within=site.main()), "register-bad-password")
    password_error = site.page.locator("#password-error")
    assert password_error.inner_text().replace(SHY, "").strip() == site.t(
        "The password must be at least %(min)d characters long.", min=passwords.MIN_LENGTH
    )
    # What she typed is kept (but not the password).
    assert site.field("E-mail address").input_value() == email
    assert site.field("Name shown with your comments").input_value() == "Kaisa Mökkiläinen"
    assert site.field("Home municipality (optional)").evaluate(
        "el => el.options[el.selectedIndex].label"
    ) == municipality_name("vierema", lang)

    person = site.register(email=email, municipality="vierema")
    # The e-mail's link signs her in on the topic she registered from.
    site.verify_email(person, lands_on=topic_title(*VIEREMA, lang)[0])
    with site.app.session() as session:
        user = session.scalar(sa.select(User).where(User.email == email))
        assert user.email_verified_at is not None
        assert user.home_municipality_code == "925"  # Vieremä
        assert user.locale == lang

    # The front page lists open topics of both her municipalities.
    site.front_page("front-signed-in")
    for org, slug in (VIEREMA, TERVO):
        link = site.topic_link(org, slug)
        assert link.count() == 1, f"{slug} is not on the front page"
        _title, title_lang = topic_title(org, slug, lang)
        heading = link.locator("xpath=ancestor::h2")
        assert heading.get_attribute("lang") == (None if title_lang == lang else title_lang)

    # The Vieremä topic: an empty comment first, then a comment and a reply.
    topic = site.open_topic(*VIEREMA)
    form = site.page.locator("#comment-form")
    site.press(site.button("Send comment", within=form), "comment-empty")
    assert site.t("Write your comment first.") in site.page.locator(
        "#comment-form"
    ).inner_text().replace(SHY, "")

    # Comments keep their own language for screen readers: Pekka's is in Finnish.
    pekka = topic.comment_article(PARENT_COMMENT).locator(".comment-body")
    assert pekka.get_attribute("lang") == (None if lang == "fi" else "fi")

    new_comment = topic.comment(comment_text)
    assert new_comment.count() == 1
    assert (
        new_comment.locator(".comment-author").inner_text().replace(SHY, "").strip()
        == "Kaisa Mökkiläinen"
    )
    reply = topic.reply_to(PARENT_COMMENT, reply_text)
    assert reply.count() == 1
    with site.app.session() as session:
        written = sa.select(Comment).join(User, Comment.author_id == User.id)
        mine = {c.body: c for c in session.scalars(written.where(User.email == email))}
        assert mine[comment_text].language == lang and mine[comment_text].parent_id is None
        parent = session.scalar(sa.select(Comment).where(Comment.body.startswith(PARENT_COMMENT)))
        assert mine[reply_text].parent_id == parent.id
        reply_id = mine[reply_text].id

    # Pekka, whose comment she answered, gets an e-mail of her reply in his language
    # (Finnish) and follows its link in his own browser: the page opens on her reply.
    _reply_reaches_pekka(site, open_site(site.mode, start=None), reply_text, reply_id)

    # She agrees with another comment: her button is pressed and its count grew by one.
    agreed = topic.vote_count(OTHER_COMMENT, "agree")
    topic.vote(OTHER_COMMENT, "agree")
    assert topic.vote_button(OTHER_COMMENT, "agree").get_attribute("aria-pressed") == "true"
    assert topic.vote_button(OTHER_COMMENT, "disagree").get_attribute("aria-pressed") == "false"
    assert topic.vote_count(OTHER_COMMENT, "agree") == agreed + 1

    # She supports the proposal: her button is pressed and the count grew by one.
    before = topic.stance_count("support")
    topic.take_stance("support")
    assert topic.stance_button("support").get_attribute("aria-pressed") == "true"
    assert topic.stance_button("oppose").get_attribute("aria-pressed") == "false"
    assert topic.stance_count("support") == before + 1

    # The Tervo topic: she answers the poll, changes her answer, and follows the topic.
    tervo = site.open_topic(*TERVO, name="topic-tervo")
    tervo.answer_poll({0: [1]})  # 6 euros
    assert tervo.poll_option(0, 1).is_checked()
    answered = (
        "You have answered the poll. You can change your answers until the consultation closes."
    )
    assert site.t(answered) in site.page.locator("#poll").inner_text().replace(SHY, "")
    tervo.answer_poll({0: [0]}, name="poll-changed")  # 5 euros after all
    assert tervo.poll_option(0, 0).is_checked()
    assert not tervo.poll_option(0, 1).is_checked()

    tervo.follow()
    assert tervo.follow_button().inner_text().replace(SHY, "").strip() == site.t("Stop following")
    assert site.t("You follow this consultation.") in site.page.locator(
        "#follow"
    ).inner_text().replace(SHY, "")

    _assert_stored(site, email)
    site.done()


def _reply_reaches_pekka(site: Site, pekka: Site, reply_text: str, reply_id: int) -> None:
    address = PEOPLE["pekka"].email
    message = site.mailbox.containing(address, reply_text)
    assert message["Subject"] == site.app.t(
        "fi", "%(replier)s replied to your comment", replier="Kaisa Mökkiläinen"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = site.mailbox.link_in(message, f"#c{reply_id}")
    assert link.startswith(site.base_url + "/"), link  # the public address, this server
    pekka.page.goto(link)
    landed = pekka.page.locator(f"#c{reply_id}")
    assert landed.evaluate("el => el.matches(':target')")
    assert reply_text in landed.inner_text().replace(SHY, "")
    assert landed.is_visible()


def _assert_stored(site: Site, email: str) -> None:
    with site.app.session() as session:
        user = session.scalar(sa.select(User).where(User.email == email))
        vierema = _topic_row(session, *VIEREMA)
        tervo = _topic_row(session, *TERVO)
        stance = session.scalar(
            sa.select(TopicStance).where(
                TopicStance.user_id == user.id, TopicStance.topic_id == vierema.id
            )
        )
        assert stance.stance == Stance.SUPPORT
        answer = session.scalar(
            sa.select(Answer).where(
                Answer.user_id == user.id, Answer.question_id == tervo.questions[0].id
            )
        )
        five_euros = tervo.questions[0].options[0]
        assert [c.option_id for c in answer.choices] == [five_euros.id]
        follows = session.scalars(sa.select(Follow.topic_id).where(Follow.user_id == user.id))
        assert list(follows) == [tervo.id]


# Faults of the app found by this suite and reported; each must still occur (see
# Site.known_problem), so the entry goes when the fault is fixed.
KNOWN_FAULTS: dict = {}


@pytest.mark.parametrize("mode", MODES, ids=str)
@pytest.mark.parametrize("lang", LANGS)
def test_resident_journey(site, open_site, lang, mode):
    for pattern, reason in KNOWN_FAULTS.get(mode, []):
        site.known_problem(pattern, reason)
    resident_journey(site, lang, open_site)


@pytest.mark.parametrize("mode", [KEYBOARD], ids=str)
def test_resident_journey_with_the_keyboard_alone(site, open_site, mode):
    """Every step by Tab, Enter, Space, arrows and typing; focus visible on each element."""
    resident_journey(site, "fi", open_site)


# --- where focus goes -------------------------------------------------------------------------


def _active(site: Site, settled: str | None = None) -> dict:
    """What has focus. ``settled``: a JS condition on ``el`` to wait for first (up to 3 s),
    since the browser applies ``autofocus`` a moment after the page has loaded."""
    if settled:
        with contextlib.suppress(PlaywrightTimeout):
            site.page.wait_for_function(
                f"() => {{ const el = document.activeElement; return !!el && ({settled}); }}",
                timeout=3000,
            )
    return site.page.evaluate(
        """() => { const el = document.activeElement;
          return {id: el.id, cls: String(el.className), html: el.outerHTML.slice(0, 160),
                  comment: el.closest('article.comment')?.id
                           || (el.querySelectorAll('article.comment').length === 1
                               ? el.querySelector('article.comment').id : null)}; }"""
    )


@pytest.mark.parametrize("mode", MODES[:2], ids=str)
def test_failed_form_moves_focus_to_the_error_summary(site, mode):
    site.open_registration()
    site.press(site.button("Register", within=site.main()), "register-empty")
    active = _active(site, "el.classList.contains('error-summary')")
    assert "error-summary" in active["cls"].split(), active
    site.log_in("asukas", name=None)
    topic = site.open_topic(*VIEREMA)
    site.press(site.button("Send comment", within=site.page.locator("#comment-form")), None)
    active = _active(site, "el.classList.contains('error-summary')")
    assert "error-summary" in active["cls"].split(), active
    assert topic.path in site.page.url
    site.done()


@pytest.mark.parametrize("mode", MODES[:2], ids=str)
def test_posting_a_comment_moves_focus_to_the_new_comment(site, mode):
    site.log_in("asukas", name=None)
    topic: TopicPage = site.open_topic(*TERVO, name="topic-tervo")
    text = f"Saunavuoro torstaina olisi hyvä ({uuid.uuid4().hex[:6]})."
    article = topic.comment(text, name="commented-focus")
    comment_id = article.get_attribute("id")
    active = _active(site, f"el.id === '{comment_id}' || !!el.closest('#{comment_id}')")
    assert active["comment"] == comment_id, active
    site.done()
