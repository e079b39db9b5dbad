"""The report files read back: what a board member finds in the DOCX and the PDF."""

from __future__ import annotations

import pytest

from eraati.core.pseudonyms import person as pseudonym
from eraati.reports import images
from tests import factories
from tests.reports.support import (
    document,
    docx_headings,
    docx_text,
    make,
    pdf,
    pdf_lang,
    pdf_pages,
    pdf_text,
    squeeze,
)

FORMATS = ("docx", "pdf")


def text_of(data: bytes, fmt: str) -> str:
    return docx_text(data) if fmt == "docx" else pdf_text(data)


# The hours theme's quotes (most agreed first), the key comment and the official reply.
QUOTED = [
    "Kirjasto auki myös sunnuntaisin.",
    "Lisää uutuuskirjoja, kiitos.",
    "Tilaisuudessa: aamuaukiolo tärkeä.",
    "Lehtilukusali on tärkeä.",
    "Selvitämme uutuuksien hankintaa.",
]
# Shown, but neither a theme's quote, a key comment nor replied to: only in the appendix.
APPENDIX_ONLY = [
    "Iltaisin pidempään.",
    "Samaa mieltä sunnuntaista.",
    "Paperilla: lisää istumapaikkoja.",
]
# Hidden, waiting for review or deleted: never in a report.
NEVER = [
    "Asiaton kommentti.",
    "Toinen asiaton.",
    "Odottaa tarkastusta.",
    "Vielä tarkastamatta.",
    "Poistettu.",
]


def test_docx_has_the_decision_context_sections_figures_and_quotes(world):
    topic = world.topic
    data = make(topic, "docx", "fi")
    text = docx_text(data)
    headings = docx_headings(data)

    for heading in ("1 Kuuleminen", "2 Moderaattorien yhteenveto", "3 Osallistuminen"):
        assert heading in headings
    assert {"Kannat", "Kysely", "Teemat", "Keskeiset kommentit", "Moderointi"} <= {
        h.split(" ", 1)[1] for h in headings if h[:1].isdigit()
    }
    # The title page: organisation, title, deciding body, case number, period, the figures.
    for fact in ("Keitele", "Kirjaston aukioloajat", "Kunnanhallitus", topic.case_number):
        assert fact in text
    assert "Päättävä toimielin" in text and "Diaarinumero" in text
    assert "Kuulemisraportti" in text and "Väliraportti" not in text
    assert "Näin luet raporttia" in text
    # Figures with captions and their tables: one picture per chart.
    assert "Kuvio 1. Kommentit ja vastaukset kanavittain" in text
    assert "Kuvio 4. Kannat ehdotukseen" in text
    assert "Taulukko 1. Piilotetut kommentit syyn mukaan" in text
    assert len(document(data).inline_shapes) == 7  # channels, homes, days, stances, 2 polls, themes
    # Themes with counts and their quotes, word for word, with pseudonyms.
    assert "Aukioloajat (3 kommenttia)" in text
    for quote in QUOTED:
        assert quote in text
    assert pseudonym(topic.pseudonym_key, world.users["aino"].id) in text
    assert "Opinion groups" not in text and "mielipideryhmiä" in text
    # The moderation account: hidden comments by reason.
    assert "Loukkaava" in text and "Muut syyt" in text


def test_pdf_pages_metadata_and_running_header(world):
    data = make(world.topic, "pdf", "fi")
    reader = pdf(data)
    pages = pdf_pages(data)
    assert len(reader.pages) == len(pages) >= 4
    assert reader.metadata.title == "Kuulemisraportti: Kirjaston aukioloajat"
    assert reader.metadata.author == "Keitele"
    assert pdf_lang(data) == "fi"
    assert "Kirjaston aukioloajat" in pages[0] and "Kunnanhallitus" in pages[0]
    # Pages after the title page carry the organisation, the page number and the case number.
    assert "Keitele" in pages[1] and f"2 ({len(pages)})" in pages[1]
    assert squeeze(f"Dnro {world.topic.case_number}") in squeeze(pages[-1])
    text = squeeze(pdf_text(data))
    assert squeeze("Kuvio 1. Kommentit ja vastaukset kanavittain") in text
    for quote in QUOTED:
        assert squeeze(quote) in text
    assert pseudonym(world.topic.pseudonym_key, world.users["olli"].id) in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_open_topic_gives_an_interim_report(open_world, fmt):
    text = squeeze(text_of(make(open_world.topic, fmt, "fi"), fmt))
    assert squeeze("Väliraportti: kuuleminen ei ole vielä päättynyt") in text
    assert "Kuulemisraportti" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_closed_topic_is_not_interim(world, fmt):
    text = squeeze(text_of(make(world.topic, fmt, "sv"), fmt))
    assert "Mellanrapport" not in text
    assert squeeze("Rapport från hörandet") in text


def test_headings_are_in_the_report_language(world):
    fi = docx_headings(make(world.topic, "docx", "fi"))
    sv = docx_headings(make(world.topic, "docx", "sv"))
    en = docx_headings(make(world.topic, "docx", "en"))
    assert "3 Osallistuminen" in fi and "3 Deltagande" in sv and "3 Participation" in en
    assert "Teman" in " ".join(sv) and "Teemat" not in " ".join(sv)
    # Organisation texts without a Swedish version stay in Finnish (theme names have both).
    assert "Öppettider (3 kommentarer)" in sv


def test_pdf_language_and_captions_follow_the_report_language(world):
    data = make(world.topic, "pdf", "sv")
    assert pdf_lang(data) == "sv"
    text = squeeze(pdf_text(data))
    assert squeeze("Figur 1. Kommentarer och svar per kanal") in text
    assert squeeze("Så här läser du rapporten") in text
    assert "Kuvio" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_name_or_email_address_of_anyone_appears(world, fmt):
    text = text_of(make(world.topic, fmt, "fi", appendix=True), fmt)
    assert world.secrets  # names, e-mail addresses and nicknames of the world's people
    for secret in world.secrets:
        assert secret not in text, secret
        assert squeeze(secret) not in squeeze(text), secret
    assert "@" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_appendix_holds_every_shown_comment_and_nothing_hidden(world, fmt):
    without = squeeze(text_of(make(world.topic, fmt, "fi"), fmt))
    with_appendix = squeeze(text_of(make(world.topic, fmt, "fi", appendix=True), fmt))
    assert squeeze("Liite: näkyvät kommentit") in with_appendix
    assert squeeze("Liite: näkyvät kommentit") not in without
    for body in APPENDIX_ONLY:
        assert squeeze(body) in with_appendix
        assert squeeze(body) not in without
    for body in NEVER:
        assert squeeze(body) not in with_appendix
        assert squeeze(body) not in without
    reply = world.comments["olli_reply"]
    assert squeeze(f"#{reply.id}") in with_appendix
    assert squeeze(f"vastaus kommenttiin #{world.comments['aino'].id}") in with_appendix


def _svg(inside: str = "") -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="100" height="40"><rect width="100" height="40" fill="#0a5c36"/>{inside}</svg>'
    )


def _docx_pictures(data: bytes) -> list[bytes]:
    doc = document(data)
    pictures = []
    for shape in doc.inline_shapes:
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        pictures.append(doc.part.related_parts[rid].blob)
    return pictures


def test_the_organisations_logo_is_on_the_title_page(db, world):
    logo = images.png(_svg(), 30)
    world.org.logo, world.org.logo_type = logo, "image/png"
    db.session.commit()
    pictures = _docx_pictures(make(world.topic, "docx", "fi"))
    assert len(pictures) == 8  # the logo and the seven charts
    assert pictures[0] == logo
    assert len(pdf(make(world.topic, "pdf", "fi")).pages[0].images) == 1


def test_an_svg_logo_cannot_make_the_report_read_files(db, world, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(images.png(_svg().replace("#0a5c36", "#ff0000"), 30))
    world.org.logo_type = "image/svg+xml"
    link = f'<image href="file://{secret}" xlink:href="file://{secret}" width="100" height="40"/>'
    world.org.logo = _svg(link).encode()
    db.session.commit()
    logo = _docx_pictures(make(world.topic, "docx", "fi"))[0]
    assert logo == images.png(_svg(), 55)  # drawn as if the linked file were not there
    assert len(pdf(make(world.topic, "pdf", "fi")).pages[0].images) == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_topic_without_comments_says_so(db, org, fmt):
    topic = factories.make_topic(org, title="Hiljainen aihe")
    db.session.commit()
    text = squeeze(text_of(make(topic, fmt, "fi", appendix=True), fmt))
    assert squeeze("Näkyviä kommentteja ei ole.") in text
    assert squeeze("Moderaattorit eivät ole jaotelleet kommentteja teemoihin.") in text
    assert squeeze("Moderaattorit eivät ole kirjoittaneet yhteenvetoa.") in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_swedish_report_names_the_swedish_deciding_body_and_contact(db, org, fmt):
    org.languages = "fi,sv"
    topic = factories.make_topic(
        org, title="Kaksikielinen", title_sv="Tvåspråkig", contact_person="Liisa, puh. 040 1"
    )
    topic.translations[1].contact_person = "Liisa, tfn 040 1"
    db.session.commit()
    swedish, finnish = (text_of(make(topic, fmt, lang), fmt) for lang in ("sv", "fi"))
    assert "Kommunstyrelsen" in swedish and "Liisa, tfn 040 1" in swedish
    assert "Kunnanhallitus" not in swedish and "puh." not in swedish
    assert "Kunnanhallitus" in finnish and "Kommunstyrelsen" not in finnish
    if fmt == "docx":  # the file's keywords too
        assert "Kommunstyrelsen" in document(make(topic, fmt, "sv")).core_properties.keywords


def _truncated_png() -> bytes:
    whole = factories.image_file("PNG", 300, 200)
    return whole[: len(whole) // 2]


@pytest.mark.parametrize(
    ("data", "mimetype"),
    [
        (_truncated_png(), "image/png"),  # a good header, half the pixels
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "image/jpeg"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height=", "image/svg+xml"),
    ],
    ids=["truncated-png", "broken-png", "broken-jpeg", "broken-svg"],
)
def test_a_stored_logo_that_cannot_be_read_is_left_out(db, world, data, mimetype):
    world.org.logo, world.org.logo_type = data, mimetype
    db.session.commit()
    pictures = _docx_pictures(make(world.topic, "docx", "fi"))
    assert len(pictures) == 7  # the seven charts, no logo
    assert data not in pictures
    assert len(pdf(make(world.topic, "pdf", "fi")).pages[0].images) == 0
