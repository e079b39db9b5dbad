"""Words of Finnish and Swedish text as their lemmas (dictionary forms), for search,
suggested themes, keywords and campaigns.

Finnish inflects a noun in some fifteen cases and two numbers ("pysäkki", "pysäkit",
"pysäkillä", "pysäkeistä"), Swedish adds its article to the end ("hållplats",
"hållplatsen"): words are compared by lemma, so that each form finds the others.
Lemmas come from simplemma (a maintained, offline lemmatiser with dictionaries for both
languages; a word it does not know stays as it is, lower-cased).

simplemma's default dictionaries are Python dicts unpacked at first use: the Finnish one
costs each process about 400 MiB and 4 to 10 seconds, on the first comment a gunicorn
worker saves. Its marisa-trie dictionaries answer the same from a file mapped into
memory (about 40 MiB in all, loaded in milliseconds), built once per simplemma version
(``build``: ``make run`` and ``make test`` do it; in production run ``python -m
eraati.analysis.text build`` when deploying, else the first process to need a language
builds it, in about 10 s and 700 MiB). They live in ``ERAATI_LEMMA_DIR`` (default
``instance/lemmas``).
"""

from __future__ import annotations

import functools
import os
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

import simplemma
from simplemma import Lemmatizer
from simplemma.strategies.default import DefaultStrategy
from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieDictionaryFactory

from config import INSTANCE_DIR

LANGUAGES = ("fi", "sv", "en")
# A word: letters, with digits or inner hyphens and apostrophes ("covid-19", "ei-kenenkään").
_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words too common to tell texts apart (keywords, suggested themes); search keeps them.
STOP_WORDS: dict[str, frozenset[str]] = {
    "fi": _word_set(
        """
        ja tai mutta sekä että kun jos niin kuin vaan vain myös jo ei en et emme ette eivät
        ole olla on ovat oli olivat olisi ollut olen olet olemme olette se ne sen niiden sitä
        niitä siitä niistä siihen niihin tämä nämä tämän näiden tätä näitä tästä tähän tuo
        nuo minä sinä hän me te he minun sinun hänen meidän teidän heidän mikä mitkä mitä
        joka jotka jonka joita kuka ketkä kanssa mukaan kautta ennen jälkeen aikana vielä
        nyt sitten siis koska vaikka kuitenkin mm esim eli jne yms joten kyllä hyvin paljon
        enemmän vähemmän aina usein kaikki kaikkien muu muut muita mitään jotain joku jokin
        voi voida pitää pitäisi tulee tulisi täytyy saada saa olla oma omat itse sama samaa
        jokainen ihan aivan liian todella mielestäni minusta
        """
    ),
    "sv": _word_set(
        """
        och eller men att som om när så än bara också redan inte ej är vara var varit blir
        bli blev har ha hade den det de dem denna detta dessa jag du han hon vi ni min din
        hans hennes vår er deras sin sitt sina vad vem vilken vilket vilka med utan för från
        till av på i vid under över efter före mot genom hos nu då sedan eftersom fast dock
        ju nog mycket mer mindre alltid ofta alla allt annan andra något någon några kan
        kunna ska skulle måste få bör egen egna själv samma varje helt väldigt
        """
    ),
    "en": _word_set(
        """
        and or but that as if when so than only also already not no is are was were be been
        have has had the a an this these those it they them i you he she we my your his her
        our their what who which with without for from to of on in at by under over after
        before against through now then because though very much more less always often
        all other some any can could shall should must may might own same each
        """
    ),
}


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, in order (Unicode NFC)."""
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def lemma_dir() -> Path:
    """Where the dictionaries of this simplemma version are kept."""
    base = os.environ.get("ERAATI_LEMMA_DIR") or INSTANCE_DIR / "lemmas"
    return Path(base) / simplemma.__version__


def build(directory: Path | None = None) -> list[str]:
    """Build the missing dictionaries; the languages built. Each is built in a temporary
    folder beside its place and renamed into it, so that a process starting meanwhile
    never reads half a file (two processes building at once both finish, one wins)."""
    directory = directory or lemma_dir()
    directory.mkdir(parents=True, exist_ok=True)
    built = []
    for language in LANGUAGES:
        target = directory / f"{language}.dic"
        if target.exists():
            continue
        with tempfile.TemporaryDirectory(dir=directory) as scratch:
            TrieDictionaryFactory(disk_cache_dir=scratch).get_dictionary(language)
            os.replace(Path(scratch) / f"{language}.dic", target)
        built.append(language)
    return built


@functools.cache
def _lemmatizer() -> Lemmatizer:
    directory = lemma_dir()
    build(directory)
    factory = TrieDictionaryFactory(disk_cache_dir=str(directory))
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))


@functools.lru_cache(maxsize=200_000)
def lemma(word: str, language: str) -> str:
    """The dictionary form of one lower-cased word in ``language`` (fi, sv or en)."""
    if language not in LANGUAGES:
        return word
    return _lemmatizer().lemmatize(word, lang=language).casefold()


def lemmas(text: str, language: str) -> list[str]:
    """The lemmas of the words of ``text``, in order, stop words included."""
    return [lemma(word, language) for word in words(text)]


def content_lemmas(text: str, language: str) -> list[str]:
    """``lemmas`` without stop words or one-letter words (keywords, suggestions)."""
    stop = STOP_WORDS.get(language, frozenset())
    return [
        lem
        for word in words(text)
        if word not in stop and len(word) > 1
        for lem in (lemma(word, language),)
        if lem not in stop
    ]


if __name__ == "__main__":  # python -m eraati.analysis.text build
    if sys.argv[1:] != ["build"]:
        sys.exit("usage: python -m eraati.analysis.text build")
    done = build()
    print(f"lemma dictionaries in {lemma_dir()}: built {', '.join(done) or 'none (all there)'}")
