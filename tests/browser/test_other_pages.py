"""The pages around journey 1, checked like the journey's own (axe, lang, phone, screenshot):
the accessibility statement, the terms of use, the privacy notice, log-in with its errors,
the password reset request, the profile, an organisation page, closed and published topics,
the not-found page, the moderator's blocks and the platform admin's accounts."""

from __future__ import annotations

import pytest

from tests.browser.checks import MODES
from tests.browser.conftest import LANGS


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
    # The pages where people are blocked and suspended.
    site.log_out()
    site.log_in("moderaattori", name=None)
    site.open("/staff/keitele/blocks", name="blocks")
    site.log_out()
    site.log_in("yllapito", name=None)
    site.open("/platform/accounts?email=asukas@example.fi", name="platform-accounts")
    site.done()
