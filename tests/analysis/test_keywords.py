"""Keywords of a group of texts against the rest (eraati/analysis/keywords.py): a theme's
keywords are words of its comments, in their dictionary form, never stop words nor words
every group uses; a small group's chance words are left out; the same input gives the
same words."""

from __future__ import annotations

from eraati.analysis import generated
from eraati.analysis.keywords import keywords
from eraati.analysis.text import STOP_WORDS, content_lemmas


def _groups(language: str, n: int = 240) -> dict[str, list[tuple[str, str]]]:
    data = generated.comments(language, n)
    return {t: [(c.text, language) for c in data if c.theme == t] for t in generated.THEMES}


def test_a_themes_keywords_are_its_own_words_not_stop_words_or_shared_ones():
    for language in ("fi", "sv"):
        groups = _groups(language)
        found = keywords(groups, n=8)
        for theme, words in found.items():
            assert len(words) == 8, (theme, words)
            own = {w for text, lang in groups[theme] for w in content_lemmas(text, lang)}
            assert set(words) <= own
            assert not set(words) & STOP_WORDS[language]
        # The general sentences every theme shares give no keyword to any.
        shared = {"kunta", "asukas", "päätös", "kylä", "kiitos", "kommune", "by", "beslut"}
        assert not shared & {w for words in found.values() for w in words}
    fi = keywords(_groups("fi"), n=3)
    assert "lumi" in fi["winter"] or "auraus" in fi["winter"]
    assert "kirjasto" in fi["library"] and "koulu" in fi["schools"]
    sv = keywords(_groups("sv"), n=3)
    assert "bibliotek" in sv["library"] and "läkare" in sv["health"]


def test_inflected_forms_count_as_one_word_and_once_per_text():
    rest = [("Kirjaston aukioloajat ovat hyvät.", "fi"), ("Koulun piha on hieno.", "fi")] * 3
    group = [
        ("Bussipysäkille ei pääse talvella.", "fi"),
        ("Pysäkillä on liukasta.", "fi"),
        ("Pysäkit pitää aurata, pysäkit, pysäkit!", "fi"),
        ("Pysäkeillä ei ole katosta.", "fi"),
        ("Uusi pysäkki kouluun.", "fi"),
    ]
    found = keywords({"stops": group, "others": rest}, n=3)
    assert found["stops"][0] == "pysäkki"
    # One text repeating a word many times does not make it a keyword.
    repeated = keywords({"a": [("Lumi lumi lumi lumi lumi.", "fi")] * 1, "b": rest}, n=3)
    assert repeated["a"] == []


def test_background_texts_are_contrasted_but_get_no_keywords_and_output_is_deterministic():
    groups = _groups("fi", 120)
    background = groups.pop("winter")
    first = keywords(groups, background=background)
    assert set(first) == set(groups)
    assert first == keywords(groups, background=background)
    assert keywords({}, n=5) == {} and keywords({"x": []}) == {"x": []}
