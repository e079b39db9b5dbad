"""A draft read part by part (issue 20): a resident opens the Vieremä draft strategy, reads
a part and comments on one paragraph with the paragraph's own link, in Finnish and Swedish,
on a desktop and on a phone, without JavaScript and by keyboard as the modes say; every
page is checked (axe, lang, overflow, focus)."""

from __future__ import annotations

import pytest

from tests.browser.checks import MODES

TOPIC = "/vierema/kuntastrategia-2027-2030"


@pytest.mark.parametrize("mode", MODES, ids=str)
@pytest.mark.parametrize("lang", ("fi", "sv"))
def test_a_resident_comments_on_a_paragraph_of_the_draft(site, lang):
    site.open(TOPIC, name="draft-topic")
    if lang != "fi":
        site.switch_language(lang, name="draft-topic-lang")
    site.log_in("asukas")
    site.open(TOPIC, name=None)
    toc = site.page.locator("#parts")
    site.press(toc.get_by_role("link").nth(1), "draft-part")
    assert site.t("Part %(number)d of %(count)d", number=2, count=5) in site.main().inner_text()
    site.press(
        site.link("Comment on paragraph %(number)d", number=3, exact=True), "draft-paragraph-form"
    )
    assert site.page.url.endswith("?paragraph=3#comment-form")
    form = site.page.locator("#comment-form")
    assert site.t("You are commenting on paragraph %(number)d:", number=3) in form.inner_text()
    text = "Omatoimikirjasto myös kyliin!" if lang == "fi" else "Meröppet bibliotek i byarna också!"
    site.type_into(site.field("Your comment", within=form), text)
    site.press(site.button("Send comment", within=form), "draft-paragraph-commented")
    assert site.t("Thank you, your comment was published.") in site.flash()
    comment = site.page.locator("article.comment[autofocus]")  # the new one, focused
    assert text in comment.inner_text()
    assert site.t("On paragraph %(number)d:", number=3) in comment.inner_text()
    site.done()
