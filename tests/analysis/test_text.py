"""Words by lemma: each inflected form of a Finnish or Swedish word finds the others."""

import pytest

from eraati.analysis.text import content_lemmas, lemmas


@pytest.mark.parametrize(
    ("form", "base", "language"),
    [
        ("pysäkit", "pysäkki", "fi"),
        ("koulujen", "koulu", "fi"),
        ("terveysasemalle", "terveysasema", "fi"),
        ("hållplatsen", "hållplats", "sv"),
        ("skolorna", "skola", "sv"),
    ],
)
def test_an_inflected_form_has_the_lemma_of_its_base_form(form, base, language):
    assert lemmas(form, language) == lemmas(base, language) == [base]


def test_content_lemmas_leave_out_stop_words_and_keep_the_order():
    text = "Pysäkit ja koulujen bussit eivät toimi, mutta kirjasto on hyvä."
    assert content_lemmas(text, "fi") == ["pysäkki", "koulu", "bussi", "toimia", "kirjasto", "hyvä"]
    assert "ja" in lemmas(text, "fi")
