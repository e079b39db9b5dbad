"""The appendix: every shown comment, in discussion order, streamed from the database."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from eraati.consultations.models import CommentSource
from eraati.core.pseudonyms import person as pseudonym
from eraati.reports import appendix
from eraati.reports.build import make_report
from tests.reports.support import docx_text, make, pdf_text, squeeze
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
        f"Osallistuja {pseudonym(world.topic.id, world.users['aino'].id)}, "
    )
    assert not aino.reply and by_number[f"#{c['olli_reply'].id}"].reply
    assert by_number[f"#{c['official'].id}"].attribution.startswith("Vastaaja: Keitele, ")
    assert by_number[f"#{c['anon'].id}"].attribution.startswith("Osallistuja ilman käyttäjätiliä, ")
    assert by_number[f"#{c['paper'].id}"].attribution.startswith(
        "Paperilla annettu palaute, vastaanotettu "
    )


def test_a_reply_to_a_comment_no_longer_shown_says_so(app, db, world):
    hidden = world.comments["hidden_reason"]
    reply = add_comment(world.topic, world.users["olli"], "Vastaus piilotettuun.", parent=hidden)
    db.session.commit()
    with force_locale("fi"):
        entry = next(
            e for e in appendix.entries(world.topic, "fi", "Keitele") if e.number == f"#{reply.id}"
        )
    assert entry.attribution.endswith("vastaus kommenttiin, joka ei ole näkyvissä")
    assert f"#{hidden.id}" not in entry.attribution


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
