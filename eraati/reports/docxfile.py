"""The report as DOCX (python-docx): the report model laid out block by block, as
``templates/reports/report.html`` does for the PDF. Charts are the results' SVG drawn
as PNG at print resolution (CairoSVG); styles are set once, on the document's own styles
(Normal, Title, Heading 1-2, Caption), so that Word's navigation and outline work."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from typing import BinaryIO
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from eraati.reports import images
from eraati.reports.docxstyle import (
    APPENDIX_STYLES,
    BLUE,
    INK,
    LOCALES,
    MUTED,
    RED,
    TEXT_WIDTH,
    borders,
    cell_borders,
    cell_margins,
    child,
    el,
    fix_widths,
    header_row,
    mark_lang,
    metadata,
    page_setup,
    shade,
    styles,
    table_borders,
)
from eraati.reports.model import (
    Appendix,
    Block,
    Entry,
    Fact,
    Figure,
    Quote,
    Report,
    Table,
    paragraphs,
)
from eraati.results.display import Row

# --- blocks --------------------------------------------------------------------------------


def _lines(paragraph, lines: list[str], lang: str | None = None, **font) -> None:
    for n, line in enumerate(lines):
        run = paragraph.add_run(line)
        for key, value in font.items():
            setattr(run.font, key, value)
        mark_lang(run, lang)
        if n < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def _text(doc_or_cell, text: str, style: str, lang: str | None = None, **font) -> list:
    added = []
    for para in paragraphs(text) or [[""]]:
        p = doc_or_cell.add_paragraph(style=style)
        _lines(p, para, lang, **font)
        added.append(p)
    return added


def _facts(doc, rows: list[Fact], label_width: int = Mm(62)) -> None:
    table = doc.add_table(rows=0, cols=2)
    table_borders(table, inside=True)
    cell_margins(table, top=50, side=0)
    for fact in rows:
        cells = table.add_row().cells
        label = cells[0].paragraphs[0]
        label.style = doc.styles["Report Table"]
        label.add_run(fact.label).font.color.rgb = MUTED
        value = cells[1].paragraphs[0]
        value.style = doc.styles["Report Table"]
        _lines(value, fact.value.split("\n"), fact.lang, bold=True)
    fix_widths(table, [label_width, TEXT_WIDTH - label_width])
    doc.add_paragraph(style="Report Note")  # the space after


def _column_widths(headings: tuple[str, ...], rows: list[Row], width: int) -> list[int]:
    """Number columns as wide as their longest word of heading or value (about 1.85 mm a
    character at 9 pt, 2 mm in bold), the label column the rest."""
    numbers = []
    for i in range(1, len(headings)):
        longest = max(len(word) for word in headings[i].split()) * 2.05  # bold
        longest = max([longest, *(len(r.cells[i - 1]) * 1.85 for r in rows)])
        numbers.append(min(Mm(30), max(Mm(13), Mm(longest + 4))))
    room = width - Mm(26)
    if sum(numbers) > room:
        numbers = [int(n * room / sum(numbers)) for n in numbers]
    return [width - sum(numbers), *numbers]


def _data_table(
    container, doc, headings: tuple[str, ...], rows: list[Row], footer: list[Row], width: int
) -> None:
    table = container.add_table(rows=1, cols=len(headings))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table_borders(table, colour="DDE2EA", size=4)
    cell_margins(table)
    widths = _column_widths(headings, [*rows, *footer], width)

    def cells_of(cells, label: str, values, *, bold=False, lang=None, fill=None, rule=None):
        for i, (cell, text) in enumerate(zip(cells, (label, *values), strict=True)):
            p = cell.paragraphs[0]
            p.style = doc.styles["Report Table"]
            if i:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = p.add_run(text)
            run.bold = bold
            if i == 0:
                mark_lang(run, lang)
            if fill:
                shade(cell._tc.get_or_add_tcPr(), fill)
            if rule:
                cell_borders(cell, **rule)

    cells_of(
        table.rows[0].cells,
        headings[0],
        headings[1:],
        bold=True,
        fill="E4EAF2",
        rule={"bottom": ("5A6472", 6)},
    )
    header_row(table.rows[0])
    for row in rows:
        cells_of(table.add_row().cells, row.label, row.cells, lang=row.lang)
    for n, row in enumerate(footer):
        rule = {"top": ("5A6472", 6)} if n == 0 else None
        cells_of(table.add_row().cells, row.label, row.cells, bold=True, rule=rule)
    fix_widths(table, widths)
    for row in table.rows[:-1]:  # one page for the whole table, as in the PDF
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True


def _figure(doc, figure: Figure) -> None:
    ct = figure.chart
    placed = images.place(figure)
    caption = doc.add_paragraph(style="Caption")
    caption.add_run(figure.label + " ").bold = True
    mark_lang(caption.add_run(ct.caption), ct.caption_lang)
    picture = io.BytesIO(images.png(placed.svg, placed.width_mm))
    footer = [ct.footer] if ct.footer else []
    headings = (ct.label_heading, *ct.headings)
    if placed.side_by_side:
        layout = doc.add_table(rows=1, cols=2)
        table_borders(layout, colour="FFFFFF", size=0, inside=False)
        cell_margins(layout, top=0, side=0)
        left, right = layout.rows[0].cells
        chart_width = Mm(placed.width_mm) + Mm(6)
        fix_widths(layout, [chart_width, TEXT_WIDTH - chart_width])
        left.paragraphs[0].add_run().add_picture(picture, width=Mm(placed.width_mm))
        right._tc.remove(right.paragraphs[0]._p)  # the table at the top of its cell
        _data_table(right, doc, headings, ct.rows, footer, TEXT_WIDTH - chart_width)
        right.add_paragraph(style="Report Table")  # a cell ends with a paragraph
        layout.rows[0]._tr.get_or_add_trPr().append(el("w:cantSplit"))
    else:
        p = doc.add_paragraph()
        p.paragraph_format.keep_with_next = figure.table
        p.add_run().add_picture(picture, width=Mm(placed.width_mm))
        if figure.table:
            _data_table(doc, doc, headings, ct.rows, footer, TEXT_WIDTH)
    for note in (figure.summary, ct.note):
        if note:
            doc.add_paragraph(note, style="Report Note")
    doc.add_paragraph(style="Report Note")


def _table(doc, table: Table) -> None:
    caption = doc.add_paragraph(style="Caption")
    caption.add_run(table.label + " ").bold = True
    caption.add_run(table.caption)
    _data_table(doc, doc, table.headings, table.rows, table.footer, int(TEXT_WIDTH * 0.75))
    doc.add_paragraph(style="Report Note")


def _quote(doc, quote: Quote) -> None:
    """A one-cell table with a rule on its left: quotes stay apart (paragraph borders of
    neighbouring paragraphs merge into one) and each stays on one page."""
    colour, fill = {"official": ("1E6B34", "F1F6F2"), "replied": ("9AA5B4", None)}.get(
        quote.kind, ("003580", None)
    )
    indent = Mm(8) if quote.kind == "official" else Mm(0)
    box = doc.add_table(rows=1, cols=1)
    table_borders(box, colour="FFFFFF", size=0, inside=False)
    cell_margins(box, top=30 if fill is None else 70, side=160)
    indent_el = child(box._tbl.tblPr, "w:tblInd")
    indent_el.set(qn("w:w"), str(int(indent / 635)))
    indent_el.set(qn("w:type"), "dxa")
    cell = box.rows[0].cells[0]
    cell_borders(cell, left=(colour, 18))
    if fill:
        shade(cell._tc.get_or_add_tcPr(), fill)
    fix_widths(box, [TEXT_WIDTH - indent])
    box.rows[0]._tr.get_or_add_trPr().append(el("w:cantSplit"))
    first = cell.paragraphs[0]
    first._p.getparent().remove(first._p)
    _text(cell, quote.text, "Report Quote", quote.lang)
    cell.add_paragraph(quote.attribution, style="Report Attribution")
    doc.add_paragraph(style="Report Gap")


def _block(doc, block: Block) -> None:
    if block.block == "para":
        style = "Report Note" if block.kind == "note" else "Normal"
        italic = True if block.kind == "empty" else None
        _text(doc, block.text, style, block.lang, italic=italic)
    elif block.block == "facts":
        _facts(doc, block.rows)
    elif block.block == "figure":
        _figure(doc, block)
    elif block.block == "table":
        _table(doc, block)
    elif block.block == "subheading":
        p = doc.add_paragraph(style="Heading 2")
        mark_lang(p.add_run(block.text), block.lang)
        if block.meta:
            meta = p.add_run(f" ({block.meta})")
            meta.bold, meta.font.color.rgb, meta.font.size = False, MUTED, Pt(9.5)
    elif block.block == "quote":
        _quote(doc, block)


# --- the parts -----------------------------------------------------------------------------


def _logo_picture(logo) -> tuple[bytes, int, int] | None:
    """The logo as PNG or JPEG and its size on the page (at most 55 × 20 mm)."""
    data = logo.data
    if logo.mimetype == "image/svg+xml":
        data = images.png(data, 55)
    try:
        size = Image.from_blob(data)
    except UnrecognizedImageError:  # a logo python-docx cannot read is left out
        return None
    ratio = size.px_width / max(size.px_height, 1)
    height = min(Mm(20), int(Mm(55) / ratio))
    return data, int(height * ratio), height


def _masthead(doc, tp) -> None:
    """The organisation's name, beside its logo when there is one."""
    picture = _logo_picture(tp.logo) if tp.logo else None
    if picture:
        data, width, height = picture
        table = doc.add_table(rows=1, cols=2)
        table_borders(table, colour="FFFFFF", size=0, inside=False)
        cell_margins(table, top=0, side=0)
        fix_widths(table, [width + Mm(6), TEXT_WIDTH - width - Mm(6)])
        logo_cell, name_cell = table.rows[0].cells
        logo_cell.paragraphs[0].add_run().add_picture(io.BytesIO(data), height=height)
        name_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = name_cell.paragraphs[0]
    else:
        paragraph = doc.add_paragraph()
    org = paragraph.add_run(tp.organisation)
    org.bold, org.font.size, org.font.color.rgb = True, Pt(14), BLUE
    mark_lang(org, tp.organisation_lang)


def _title_page(doc, report: Report) -> None:
    tp = report.title_page
    _masthead(doc, tp)
    doc.add_paragraph(tp.kind.upper(), style="Report Kind")
    title = doc.add_paragraph(style="Title")
    mark_lang(title.add_run(tp.title), tp.title_lang)
    if tp.interim:
        p = doc.add_paragraph()
        run = p.add_run(tp.interim)
        run.bold, run.font.color.rgb = True, RED
        ppr = p._p.get_or_add_pPr()
        borders(
            ppr,
            top=("A4262C", 8, 6),
            bottom=("A4262C", 8, 6),
            right=("A4262C", 8, 6),
            left=("A4262C", 32, 6),
        )
        shade(ppr, "FBEFF0")
        p.paragraph_format.space_after = Pt(16)
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Mm(2)
    _facts(doc, tp.facts, label_width=Mm(52))

    key = doc.add_table(rows=1, cols=len(tp.key_figures))
    table_borders(key, colour="FFFFFF", size=0, inside=False)
    cell_margins(key, top=60, side=100)
    for cell, figure in zip(key.rows[0].cells, tp.key_figures, strict=True):
        cell.width = TEXT_WIDTH // len(tp.key_figures)
        shade(cell._tc.get_or_add_tcPr(), "F2F5F9")
        cell_borders(cell, top=("003580", 24), left=("FFFFFF", 24), right=("FFFFFF", 24))
        value = cell.paragraphs[0]
        value.paragraph_format.space_after = Pt(0)
        run = value.add_run(figure.value)
        run.bold, run.font.size, run.font.color.rgb = True, Pt(20), BLUE
        cell.add_paragraph(figure.label, style="Report Table")
    doc.add_paragraph(style="Report Note")

    box = doc.add_table(rows=1, cols=1)
    table_borders(box, colour="C8CED8", size=4)
    cell_borders(box.rows[0].cells[0], left=("C8CED8", 4), right=("C8CED8", 4))
    cell_margins(box, top=100, side=140)
    cell = box.rows[0].cells[0]
    head = cell.paragraphs[0]
    head.add_run(report.reading_title).bold = True
    for text in report.reading_note:
        p = cell.add_paragraph(text, style="Report Note")
        p.runs[0].font.color.rgb = INK
    box.rows[0]._tr.get_or_add_trPr().append(el("w:cantSplit"))


# --- the appendix, streamed into the file ---------------------------------------------------

# The paragraph the appendix' comments replace when the file is saved.
_PLACEHOLDER = "eraati-report-appendix-comments"
_ENTRIES_PER_WRITE = 200


def _run(text: str, props: str = "") -> str:
    return f'<w:r>{props}<w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r>'


class _Entries:
    """The appendix' comments as ``w:p`` XML, written as text a few hundred at a time:
    python-docx would keep every paragraph of a hundred thousand comments in memory (and
    take a minute building them). The same styles, runs and rules as the blocks above."""

    def __init__(self, doc) -> None:
        ids = {name: doc.styles[name].style_id for name in APPENDIX_STYLES}
        self.meta = f'<w:pStyle w:val="{ids["Appendix Meta"]}"/>'
        self.body = f'<w:pStyle w:val="{ids["Appendix Text"]}"/>'
        self.normal = f'<w:pStyle w:val="{ids["Normal"]}"/>'
        # A reply: indented 11 mm with a grey rule on its left.
        self.reply = (
            '<w:pBdr><w:left w:val="single" w:sz="12" w:space="8" w:color="C8CED8"/></w:pBdr>'
            '<w:ind w:left="624"/>'
        )

    def _paragraphs(self, text: str, style: str, lang: str | None, *, italic: bool = False) -> str:
        props = ""
        if lang or italic:
            lang_el = f'<w:lang w:val="{LOCALES.get(lang, lang)}"/>' if lang else ""
            props = f"<w:rPr>{'<w:i/>' if italic else ''}{lang_el}</w:rPr>"
        out = []
        for para in paragraphs(text) or [[""]]:
            runs = "<w:r><w:br/></w:r>".join(_run(line, props) for line in para)
            out.append(f"<w:p><w:pPr>{style}</w:pPr>{runs}</w:p>")
        return "".join(out)

    def entry(self, entry: Entry) -> str:
        indent = self.reply if entry.reply else ""
        number = _run(entry.number + " ", '<w:rPr><w:b/><w:color w:val="1A1A1A"/></w:rPr>')
        if not entry.shown:  # only why the comment is not shown: no text
            why = _run(entry.attribution, "<w:rPr><w:i/></w:rPr>")
            return f"<w:p><w:pPr>{self.meta}{indent}</w:pPr>{number}{why}</w:p>"
        meta = f"<w:p><w:pPr>{self.meta}{indent}</w:pPr>{number}{_run(entry.attribution)}</w:p>"
        return meta + self._paragraphs(entry.text, self.body + indent, entry.lang)

    def xml(self, appendix: Appendix) -> Iterator[bytes]:
        pieces: list[str] = []
        written = 0
        for entry in appendix:
            pieces.append(self.entry(entry))
            written += 1
            if len(pieces) == _ENTRIES_PER_WRITE:
                yield "".join(pieces).encode("utf-8")
                pieces = []
        if not written:
            pieces.append(self._paragraphs(appendix.empty, self.normal, None, italic=True))
        yield "".join(pieces).encode("utf-8")


def _appendix_start(doc, report: Report) -> None:
    appendix = report.appendix
    doc.add_paragraph(appendix.title, style="Heading 1").paragraph_format.page_break_before = True
    for block in appendix.intro:
        _block(doc, block)
    doc.add_paragraph(_PLACEHOLDER)


def _save_with_appendix(doc, appendix: Appendix, out: BinaryIO) -> None:
    """Save the document, then copy it to ``out`` with the appendix' comments written in
    place of the placeholder as they are read from the database."""
    saved = io.BytesIO()
    doc.save(saved)
    entries = _Entries(doc)
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "word/document.xml":
                target.writestr(info, data)
                continue
            marker = data.index(_PLACEHOLDER.encode())
            start = data.rindex(b"<w:p>", 0, marker)
            end = data.index(b"</w:p>", marker) + len(b"</w:p>")
            with target.open(info.filename, "w", force_zip64=True) as fh:
                fh.write(data[:start])
                for piece in entries.xml(appendix):
                    fh.write(piece)
                fh.write(data[end:])


def write(report: Report, out: BinaryIO, layout_done: Callable[[], None]) -> None:
    doc = Document()
    styles(doc, report.lang)
    page_setup(doc, report)
    metadata(doc, report)
    _title_page(doc, report)
    for n, section in enumerate(report.sections):
        heading = doc.add_paragraph(section.heading, style="Heading 1")
        heading.paragraph_format.page_break_before = n == 0  # after the title page
        for block in section.blocks:
            _block(doc, block)
    if report.appendix is not None:
        _appendix_start(doc, report)
    layout_done()
    if report.appendix is None:
        doc.save(out)
    else:
        _save_with_appendix(doc, report.appendix, out)
