"""A traffic plan on a map (issue 20): a resident opens Iisalmi's traffic plan, chooses a
named place from the list (which works with and without JavaScript and by keyboard) and
comments on it, in Finnish and Swedish, on a desktop, without JavaScript, on a phone at
200 % text and by keyboard; every page is checked (axe, lang, overflow, focus). The map
itself (Leaflet on local tiles, a clicked point) is tests/browser/test_map.py's."""

from __future__ import annotations

import pytest

from eraati.places.demo import ORG, TOPIC
from tests.browser.checks import KEYBOARD, MODES

PLACE = {"fi": "Kauppatori", "sv": "Salutorget"}


@pytest.mark.parametrize("mode", (*MODES, KEYBOARD), ids=str)
@pytest.mark.parametrize("lang", ("fi", "sv"))
def test_a_resident_comments_on_a_named_place(site, lang, mode):
    path = f"/{ORG}/{TOPIC}"
    site.open(path, name="map-journey-topic")
    if lang != "fi":
        site.switch_language(lang, name="map-journey-topic-lang")
    site.log_in("asukas")
    site.open(path, name=None)
    form = site.page.locator("#comment-form")
    site.select(site.field("Place (optional)", within=form), PLACE[lang])
    text = {
        "fi": f"Torin suojatie on vaarallinen iltaisin ({mode.name}).",
        "sv": f"Övergångsstället vid torget är farligt på kvällen ({mode.name}).",
    }[lang]
    site.type_into(site.field("Your comment", within=form), text)
    site.press(site.button("Send comment", within=form), "map-journey-commented")
    assert site.t("Thank you, your comment was published.") in site.flash()
    comment = site.page.locator("article.comment", has_text=text)
    assert PLACE[lang] in comment.locator(".comment-place").inner_text()
    site.done()
