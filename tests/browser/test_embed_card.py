"""The consultation card a municipality frames on its own website (/embed/<org>): the
page checks (axe, lang, phone width and 200 % text) on the card itself, and its links
open in the whole window, not in the frame."""

from __future__ import annotations

import pytest

from tests.browser.checks import DESKTOP, PHONE


@pytest.mark.parametrize("mode", [DESKTOP, PHONE], ids=str)
def test_embed_card(site):
    site.open("/embed/iisalmi", name="embed-card")
    assert site.heading() == site.t("Consultations of %(name)s", name="Iisalmen kaupunki")
    links = site.page.locator("a")
    assert links.count() >= 3  # open, coming, and all of Iisalmi's consultations
    assert all(t == "_top" for t in links.evaluate_all("(as) => as.map((a) => a.target)"))
    site.done()
