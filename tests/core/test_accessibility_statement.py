"""The accessibility statement (saavutettavuusseloste) the law requires, in every language."""

from __future__ import annotations

import pytest

from tests.consultations.topic_support import choose_language

TITLES = {
    "fi": "Saavutettavuusseloste",
    "sv": "Tillgänglighetsutlåtande",
    "en": "Accessibility statement",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_statement_is_linked_from_every_page_and_written_in_the_readers_language(app, client, lang):
    choose_language(client, lang)
    front = client.get("/").get_data(as_text=True)
    assert f'href="/saavutettavuus">{TITLES[lang]}</a>' in front
    page = client.get("/saavutettavuus")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"<h1>{TITLES[lang]}</h1>" in html
    assert f'<html lang="{lang}">' in html
    assert "WCAG 2.1" in html
    assert f'href="mailto:{app.config["CONTACT_EMAIL"]}"' in html  # where to give feedback
    assert "saavutettavuusvaatimukset.fi" in html  # how to complain to the supervisor
    assert {"fi": "25. marraskuuta 2026", "sv": "25 november 2026", "en": "25 November 2026"}[
        lang
    ] in html  # when it was prepared
