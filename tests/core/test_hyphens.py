"""Soft hyphens in headings: long words break with a hyphen, by the heading's language."""

from __future__ import annotations

import re

import pytest

from eraati.core.hyphens import SOFT_HYPHEN, hyphenate_headings, hyphenate_word
from tests import factories
from tests.consultations.topic_support import topic_path


def _shown(text: str) -> str:
    return text.replace(SOFT_HYPHEN, "-")


@pytest.mark.parametrize(
    ("word", "lang", "expected"),
    [
        ("talvikunnossapito", "fi", "tal-vi-kun-nos-sa-pito"),
        ("Saavutettavuusseloste", "fi", "Saa-vu-tet-ta-vuus-se-loste"),
        ("kirjastoauton", "fi", "kir-jas-to-au-ton"),  # o|a: not a diphthong
        ("kuuleminen", "fi", "kuu-le-mi-nen"),  # a long vowel stays together
        ("raitiovaunu", "fi", "rai-ti-o-vaunu"),
        ("tillgängligheten", "sv", "till-gäng-lig-he-ten"),
        ("Kommentarer", "sv", "Kom-men-ta-rer"),
        ("consultation", "en", "con-sulta-tion"),
        ("feedback", "en", "feed-back"),
        ("Kunta", "fi", "Kunta"),  # too short to need it
    ],
)
def test_words_break_at_their_languages_syllables(word, lang, expected):
    assert _shown(hyphenate_word(word, lang)) == expected


def test_only_headings_get_soft_hyphens_in_their_own_language():
    html = (
        '<h1 id="t" lang="sv">Tillgänglighetsutlåtande <span class="badge">Öppet</span></h1>'
        "<p>Saavutettavuusseloste</p>"
        "<h2>Kuulemiset &amp; tulokset</h2><header>kirjastoauton</header>"
        "<h3>moderaattori@example.fi</h3>"
    )
    assert _shown(hyphenate_headings(html, "fi")) == (
        '<h1 id="t" lang="sv">Till-gäng-lig-hets-ut-lå-tande <span class="badge">Öppet</span></h1>'
        "<p>Saavutettavuusseloste</p>"
        "<h2>Kuu-le-mi-set &amp; tu-lok-set</h2><header>kirjastoauton</header>"
        "<h3>moderaattori@example.fi</h3>"  # an address is left whole
    )


@pytest.mark.parametrize(
    "heading",
    [
        '<h2><span title="Kuulemiset > tulokset">Talvikunnossapito</span></h2>',
        "<h2><a href=\"#t\" aria-label='Avaa > tulokset'>Talvikunnossapito</a></h2>",
        '<h2 title="Kuulemiset > tulokset">Talvikunnossapito</h2>',
    ],
)
def test_a_quoted_gt_in_an_attribute_stays_inside_its_tag(heading):
    """The attribute's words are not text: they get no soft hyphen, the text does."""
    hyphenated = hyphenate_headings(heading, "fi")
    assert "Kuulemiset > tulokset" in hyphenated or "Avaa > tulokset" in hyphenated
    assert "Tal-vi-kun-nos-sa-pito" in _shown(hyphenated)
    assert hyphenated.replace(SOFT_HYPHEN, "") == heading


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kunnan&nbsp;palvelut", "Kun-nan&nbsp;pal-ve-lut"),
        ("&auml;&auml;nestyspaikat", "&auml;&auml;-nes-tys-pai-kat"),
        ("&#228;&#228;nestyspaikat", "&#228;&#228;-nes-tys-pai-kat"),
        ("&#xE4;&#xE4;nestyspaikat", "&#xE4;&#xE4;-nes-tys-pai-kat"),
        ("Kaavoitus&amp;rakentaminen", "Kaa-voi-tus&amp;ra-ken-ta-mi-nen"),
        ("Kuulemiset&hellip;", "Kuu-le-mi-set&hellip;"),
        ("&thinsp;&hellip;&nbsp;&hellip;", "&thinsp;&hellip;&nbsp;&hellip;"),
        ("Tervetuloa&#8239;&amp;&#8239;kiitos", "Ter-ve-tu-loa&#8239;&amp;&#8239;kii-tos"),
    ],
)
def test_words_beside_and_with_character_references_break_outside_them(text, expected):
    """A reference to a letter is part of its word, any other separates words; a soft
    hyphen never goes inside one (``&ama;p;``, ``&hel-lip;`` would show as text)."""
    hyphenated = hyphenate_headings(f"<h2>{text}</h2>", "fi")
    assert _shown(hyphenated) == f"<h2>{expected}</h2>"
    assert not re.search(rf"&[#\w]*{SOFT_HYPHEN}[#\w]*;", hyphenated)


def test_pages_carry_them_and_other_answers_do_not(db, client, org):
    topic = factories.make_topic(org, slug="talvi", title="Talvikunnossapito")
    db.session.commit()
    page = client.get(topic_path(topic)).get_data().decode()  # as sent (tests/reading.py)
    h1 = re.search(r'<h1 id="topic-title"[^>]*>(.*?)</h1>', page, re.S)[1]
    assert _shown(h1) == "Tal-vi-kun-nos-sa-pito"
    assert "<title>Talvikunnossapito – eRaati</title>" in page  # the title bar's text is whole
    api = client.get("/api/v1/topics").get_data().decode()
    assert "Talvikunnossapito" in api and SOFT_HYPHEN not in api


def test_the_hyphenate_filter_escapes_and_breaks_in_the_texts_language(app):
    """A survey question is the heading of its <legend> and of its results: the filter
    gives its long words soft hyphens in the question's own language (else the page's),
    after escaping it."""
    render = app.jinja_env.from_string("{{ text|hyphenate(lang) }}").render
    with app.test_request_context():
        assert _shown(render(text="Onko talvikunnossapito hyvää?", lang=None)) == (
            "Onko tal-vi-kun-nos-sa-pito hyvää?"
        )
        assert _shown(render(text="<b>Tillgängligheten & mer", lang="sv")) == (
            "&lt;b&gt;Till-gäng-lig-he-ten &amp; mer"
        )
