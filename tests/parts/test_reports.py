"""The report (DOCX, PDF) has a section on the parts: comments by part and paragraph and
the most commented paragraphs quoted."""

from eraati.extensions import db
from tests.parts.support import comment_on, make_parts
from tests.reports.support import docx_headings, docx_text, make, pdf_text, squeeze


def test_the_report_has_comments_by_part_and_paragraph(open_topic, resident, other_resident):
    _first, second = make_parts(open_topic, 2)
    for author in (resident, other_resident):
        comment_on(open_topic, second, author, paragraph=3, quote="Kolmas: luettelon kohta.")
    db.session.commit()
    docx = make(open_topic, "docx", "en")
    assert any(h.endswith("Comments by part and paragraph") for h in docx_headings(docx))
    text = docx_text(docx)
    assert "Part 2, paragraph 3 (2 comments)" in text
    assert "Kolmas: luettelon kohta." in text
    assert "Comments by paragraph" in text
    pdf = squeeze(pdf_text(make(open_topic, "pdf", "sv")))
    assert squeeze("Kommentarer per del och stycke") in pdf
    assert squeeze("Del 2, stycke 3 (2 kommentarer)") in pdf


def test_no_such_section_without_parts(open_topic):
    assert not any("paragraph" in h for h in docx_headings(make(open_topic, "docx", "en")))
