"""The appendix: every shown comment, in discussion order, streamed from the database."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from eraati.consultations.models import CommentSource, CommentStatus
from eraati.core.pseudonyms import person as pseudonym
from eraati.reports import appendix
from eraati.reports.build import make_report
from tests.reports.support import document, docx_text, make, pdf_text, squeeze
from tests.results.support import add_comment, days_ago


def test_entries_are_the_shown_comments_in_discussion_order(app, world):
    c = world.comments
    with force_locale("fi"):
        got = list(appendix.entries(world.topic, "fi", "Keitele"))
    # Threads oldest first, each reply right after its thread's comment.
    assert [e.number for e in got] == [
        f"#{c[k].id}"
        for k in (
            "aino",
            "olli_reply",
            "olli",
            "official",
            "eero",
            "anon",
            "anon_reply",
            "paper",
            "event",
        )
    ]
    by_number = {e.number: e for e in got}
    aino = by_number[f"#{c['aino'].id}"]
    assert aino.attribution.startswith(
        f"Osallistuja {pseudonym(world.topic.pseudonym_key, world.users['aino'].id)}, "
    )
    assert not aino.reply and by_number[f"#{c['olli_reply'].id}"].reply
    assert by_number[f"#{c['official'].id}"].attribution.startswith("Vastaaja: Keitele, ")
    assert by_number[f"#{c['anon'].id}"].attribution.startswith("Osallistuja ilman käyttäjätiliä, ")
    assert by_number[f"#{c['paper'].id}"].attribution.startswith(
        "Paperilla annettu palaute, vastaanotettu "
    )


def _reply_to_hidden(db, world):
    """A shown reply to a hidden comment, and a shown reply to a hidden reply of Aino's."""
    c, users = world.comments, world.users
    hidden = c["hidden_reason"]
    reply = add_comment(world.topic, users["olli"], "Vastaus piilotettuun.", parent=hidden)
    hidden_reply = add_comment(
        world.topic,
        users["eero"],
        "Piilotettu vastaus.",
        parent=c["aino"],
        status=CommentStatus.HIDDEN,
        hidden_at=days_ago(1),
        hidden_reason="Loukkaava",
    )
    reply_to_hidden_reply = add_comment(
        world.topic, users["olli"], "Vastaus piilotettuun vastaukseen.", parent=hidden_reply
    )
    db.session.commit()
    return hidden, reply, hidden_reply, reply_to_hidden_reply


def test_a_reply_to_a_hidden_comment_stands_under_a_line_for_it(app, db, world):
    hidden, reply, hidden_reply, nested = _reply_to_hidden(db, world)
    with force_locale("fi"):
        got = list(appendix.entries(world.topic, "fi", "Keitele"))
    numbers = [e.number for e in got]
    # The hidden comment keeps its place right above its reply (not the event's thread
    # before it), and the hidden reply its place in Aino's thread.
    assert numbers[numbers.index(f"#{hidden.id}") + 1] == f"#{reply.id}"
    assert numbers.index(f"#{hidden_reply.id}") < numbers.index(f"#{nested.id}")
    assert numbers.index(f"#{nested.id}") < numbers.index(f"#{world.comments['olli'].id}")
    by_number = {e.number: e for e in got}
    line = by_number[f"#{hidden.id}"]
    assert (line.shown, line.reply, line.text) == (False, False, "")
    assert line.attribution == "Ei näkyvissä: moderaattori piilotti tämän kommentin."
    assert by_number[f"#{hidden_reply.id}"].reply and not by_number[f"#{hidden_reply.id}"].shown
    answer = by_number[f"#{reply.id}"]
    assert answer.reply and answer.shown
    assert answer.attribution.endswith(f"vastaus kommenttiin #{hidden.id}, joka ei ole näkyvissä")
    # Only the hidden comments that have a shown reply get a line; no hidden text at all.
    assert f"#{world.comments['hidden_other'].id}" not in by_number
    assert not any("Asiaton" in e.text or "Piilotettu vastaus" in e.text for e in got)


def test_the_docx_and_pdf_put_a_reply_to_a_hidden_comment_under_its_line(db, world):
    hidden, reply, _hidden_reply, _nested = _reply_to_hidden(db, world)
    line = f"#{hidden.id} Ei näkyvissä: moderaattori piilotti tämän kommentin."
    paras = document(make(world.topic, "docx", "fi", appendix=True)).paragraphs
    texts = [p.text for p in paras]
    at = texts.index(line)
    assert texts[at + 1].startswith(f"#{reply.id} ")
    assert texts[at + 2] == "Vastaus piilotettuun."
    # The line is a comment's (not indented), the reply is indented under it.
    assert paras[at].paragraph_format.left_indent is None
    assert paras[at + 1].paragraph_format.left_indent is not None
    text = pdf_text(make(world.topic, "pdf", "fi", appendix=True))
    assert squeeze(f"{line}#{reply.id}") in squeeze(text)
    assert "Asiaton kommentti" not in text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_line_breaks_paragraphs_and_markup_characters_are_kept(db, world, fmt):
    body = "Rivi 1 & <b>ei lihavoitu</b>\nRivi 2\n\nToinen kappale."
    add_comment(world.topic, None, body, source=CommentSource.PAPER, received_on=days_ago(2).date())
    db.session.commit()
    data = make(world.topic, fmt, "fi", appendix=True)
    if fmt == "docx":
        text = docx_text(data)
        assert "Rivi 1 & <b>ei lihavoitu</b>\nRivi 2" in text  # one paragraph, a line break
        assert "\nToinen kappale.\n" in text  # a paragraph of its own
    else:
        assert squeeze("Rivi 1 & <b>ei lihavoitu</b> Rivi 2 Toinen kappale.") in squeeze(
            pdf_text(data)
        )


def test_the_pdf_appendix_stops_at_its_limit_and_says_where_the_rest_is(app, world):
    assert appendix.limit_for("pdf") == appendix.PDF_APPENDIX_MAX
    assert appendix.limit_for("docx") is None
    with force_locale("fi"):
        report = make_report(world.topic, "fi", appendix=True, appendix_limit=3)
        entries = list(report.appendix)
        notes = [p.text for p in report.appendix.intro]
    assert len(entries) == 3
    assert any("ensimmäiset 3" in n and "DOCX-raportin liitteessä" in n for n in notes)
    with force_locale("fi"):
        full = make_report(world.topic, "fi", appendix=True, appendix_limit=None)
        assert len(list(full.appendix)) == world.topic.comment_count == 9
        assert len(full.appendix.intro) == 1
