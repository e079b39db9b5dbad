"""The terms of use and discussion rules: one page, in every language, linked from where a
resident meets the rules (the footer, registration, the comment form, reporting)."""

from __future__ import annotations

import pytest

from tests import factories
from tests.consultations.topic_support import choose_language, make_comment, topic_path

TITLES = {
    "fi": "Käyttöehdot ja keskustelun säännöt",
    "sv": "Användarvillkor och diskussionsregler",
    "en": "Terms of use and discussion rules",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_terms_are_linked_from_every_page_in_the_readers_language(app, client, lang):
    choose_language(client, lang)
    front = client.get("/").get_data(as_text=True)
    assert f'href="/kayttoehdot">{TITLES[lang]}</a>' in front
    page = client.get("/kayttoehdot")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"<h1>{TITLES[lang]}</h1>" in html
    assert '<h2 id="rules">' in html  # the comment form links to the rules themselves
    assert f'href="mailto:{app.config["CONTACT_EMAIL"]}"' in html


def test_registration_links_to_the_terms_it_asks_to_accept(client):
    choose_language(client, "en")
    page = client.get("/account/register").get_data(as_text=True)
    link = page.index('href="/kayttoehdot"')
    assert link < page.index('name="accept_terms"')  # read before ticking the box


def test_the_comment_form_and_the_report_page_link_to_the_rules(
    db, client, login_as, open_topic, resident
):
    writer = factories.make_user("kirjoittaja@example.fi")
    comment = make_comment(open_topic, writer, "Hyvä ehdotus.")
    db.session.commit()
    login_as(resident)
    topic_page = client.get(topic_path(open_topic)).get_data(as_text=True)
    form = topic_page.split('id="comment-form"')[1].split("</form>")[0]
    assert 'href="/kayttoehdot#rules"' in form
    flag_page = client.get(f"{topic_path(open_topic)}/comments/{comment.id}/flag")
    assert flag_page.status_code == 200
    assert 'href="/kayttoehdot#rules"' in flag_page.get_data(as_text=True)
