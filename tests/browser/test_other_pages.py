"""The pages around journey 1, checked like the journey's own (axe, lang, phone, screenshot):
the accessibility statement, the terms of use, the privacy notice, log-in with its errors,
the password reset request, the profile, an organisation page, closed and published topics,
the not-found page, a poll answer refused for combining "none of these" with another
option, the moderator's blocks and the platform admin's accounts."""

from __future__ import annotations

import pytest

from tests.browser.checks import MODES
from tests.browser.conftest import LANGS
from tests.browser.site import TopicPage, option_text


@pytest.mark.parametrize("mode", MODES, ids=str)
@pytest.mark.parametrize("lang", LANGS)
def test_pages_around_the_journey(site, lang):
    site.open("/", name=None)
    if lang != "fi":
        site.switch_language(lang)
    footer = site.page.locator("footer")
    site.press(site.link("Accessibility statement", within=footer), "accessibility-statement")
    assert site.heading() == site.t("Accessibility statement")
    footer = site.page.locator("footer")
    site.press(site.link("Terms of use and discussion rules", within=footer), "terms")
    assert site.heading() == site.t("Terms of use and discussion rules")
    footer = site.page.locator("footer")
    site.press(site.link("Privacy notice", within=footer), "privacy-notice")
    assert site.heading() == site.t("Privacy notice")

    site.open("/account/login", name="login")
    site.press(site.button("Log in", within=site.main()), "login-empty")
    summary = site.page.locator(".error-summary")
    assert summary.is_visible()
    # autofocus is applied a moment after the page has loaded
    site.page.wait_for_function("() => document.activeElement?.id === 'error-summary'")

    site.open("/account/password/forgot", name="forgot-password")
    site.open("/ylasavon-sote", name="organisation")
    site.open("/vesanto/kuntastrategia-2030", name="topic-closed")
    assert site.page.locator("form.comment-form").count() == 0  # read-only when closed
    site.open("/iisalmi/keskustan-pyoratiet", name="topic-published")
    site.open("/ei-ole/olemassa", name="not-found")
    assert site.heading() == site.t("Page not found")

    site.log_in("asukas", name="logged-in")
    site.open("/account/profile", name="profile")
    site.open("/keitele/kirjastoauton-pysakit", name="topic-signed-in")

    # "None of these" ticked with another service: refused next to the question, in the
    # reader's language, with every tick kept (the demo's SOTE poll, as in issue 17).
    site.open("/ylasavon-sote/terveysasemien-aukioloajat", name="topic-sote")
    sote = TopicPage(site, "ylasavon-sote", "terveysasemien-aukioloajat")
    sote.answer_poll({0: [1], 1: [2, 3]}, name="poll-none-of-these-refused")
    none_of_these = option_text("ylasavon-sote", "terveysasemien-aukioloajat", 1, 3, site.lang)
    message = site.t(
        "“%(option)s” can only be chosen on its own. Untick either it or the other options.",
        option=none_of_these,
    )
    assert message in site.page.locator("#poll fieldset .error-message").inner_text()
    assert sote.poll_option(1, 2).is_checked() and sote.poll_option(1, 3).is_checked()
    assert sote.poll_option(0, 1).is_checked()

    # The pages where people are blocked and suspended.
    site.log_out()
    site.log_in("moderaattori", name=None)
    site.open("/staff/keitele/blocks", name="blocks")
    site.log_out()
    site.log_in("yllapito", name=None)
    site.open("/platform/accounts", name=None)
    site.type_into(site.field("E-mail address of the account"), "asukas@example.fi")
    site.press(site.button("Find"), "platform-accounts")
    assert "/platform/accounts/" in site.page.url and "@" not in site.page.url
    assert site.button("Suspend the account").count() == 1
    site.done()
