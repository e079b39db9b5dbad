"""The look of the DOCX report: A4 pages, the document's styles, the running header and
footer, the file's metadata, and the few OOXML details python-docx has no words for
(borders, shading, fixed column widths, fields)."""

from __future__ import annotations

from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from eraati.reports.model import Report

FONT = "Arial"  # Liberation Sans where Arial is missing: the same metrics
INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x4A, 0x4A, 0x4A)
BLUE = RGBColor(0x00, 0x35, 0x80)
RED = RGBColor(0x6E, 0x14, 0x19)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(27), "right": Mm(20), "bottom": Mm(24), "left": Mm(25)}
TEXT_WIDTH = PAGE_WIDTH - MARGINS["left"] - MARGINS["right"]
LOCALES = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
APPENDIX_STYLES = ("Appendix Meta", "Appendix Text", "Normal")


# --- OOXML details python-docx has no words for -------------------------------------------


def el(tag: str, **attrs: str) -> OxmlElement:
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def child(parent, tag: str):
    """The child ``tag`` of ``parent``, made (at the end) when missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def set_font(rpr_owner, name: str = FONT) -> None:
    """Arial for every script, without the theme fonts that would override it."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for script in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{script}"), name)


def borders(ppr, **sides: tuple[str, int, int]) -> None:
    """Paragraph borders: side=(colour, width in eighths of a point, space in points)."""
    bdr = child(ppr, "w:pBdr")
    for side, (colour, size, space) in sides.items():
        bdr.append(el(f"w:{side}", val="single", sz=str(size), space=str(space), color=colour))


def shade(owner_pr, fill: str) -> None:
    owner_pr.append(el("w:shd", val="clear", color="auto", fill=fill))


def cell_borders(cell, **sides: tuple[str, int]) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    borders = child(tcpr, "w:tcBorders")
    for side, (colour, size) in sides.items():
        value = "nil" if size == 0 else "single"
        borders.append(el(f"w:{side}", val=value, sz=str(size), space="0", color=colour))


def table_borders(table, colour: str = "DDE2EA", size: int = 4, inside: bool = True) -> None:
    tblpr = table._tbl.tblPr
    borders = child(tblpr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        visible = side in ("top", "bottom") or (side == "insideH" and inside)
        value = "single" if visible else "nil"
        borders.append(el(f"w:{side}", val=value, sz=str(size), space="0", color=colour))


def cell_margins(table, top: int = 40, side: int = 90) -> None:
    """Cell padding in twentieths of a point."""
    margins = child(table._tbl.tblPr, "w:tblCellMar")
    for name, value in (("top", top), ("bottom", top), ("left", side), ("right", side)):
        margins.append(el(f"w:{name}", w=str(value), type="dxa"))


def fix_widths(table, widths: list[int]) -> None:
    """Column widths that Word and LibreOffice both keep (grid, cells, fixed layout)."""
    table.autofit = False
    tblpr = table._tbl.tblPr
    tblpr.append(el("w:tblLayout", type="fixed"))
    width = child(tblpr, "w:tblW")
    width.set(qn("w:w"), str(int(sum(widths) / 635)))  # EMU to twentieths of a point
    width.set(qn("w:type"), "dxa")
    for column, value in zip(table.columns, widths, strict=True):
        column.width = value
    for row in table.rows:
        for cell, value in zip(row.cells, widths, strict=True):
            cell.width = value


def header_row(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(el("w:tblHeader"))
    trpr.append(el("w:cantSplit"))


def field(paragraph, instruction: str, shown: str = "1") -> None:
    """A field Word and LibreOffice fill in (PAGE, NUMPAGES)."""
    fld = el("w:fldSimple", instr=instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def mark_lang(element, lang: str | None) -> None:
    """Mark a run's language (spelling, reading aloud) when it is not the report's."""
    if lang:
        element._r.get_or_add_rPr().append(el("w:lang", val=LOCALES.get(lang, lang)))


# --- the styles --------------------------------------------------------------------------------


def paragraph_style(
    doc,
    name: str,
    *,
    size: float,
    bold: bool = False,
    colour=INK,
    before: float = 0,
    after: float = 4,
    italic: bool = False,
    keep: bool = False,
    base: str | None = None,
):
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, 1)  # a paragraph style
        style.base_style = doc.styles[base or "Normal"]
        style.quick_style = True
    set_font(style.element)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = colour
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.keep_with_next = keep
    return style


def styles(doc, lang: str) -> None:
    normal = paragraph_style(doc, "Normal", size=10, after=4)
    normal.paragraph_format.line_spacing = 1.15
    rpr = normal.element.get_or_add_rPr()
    rpr.append(el("w:lang", val=LOCALES.get(lang, lang)))
    title = paragraph_style(doc, "Title", size=24, bold=True, after=18)
    title.paragraph_format.line_spacing = 1.05
    ppr = title.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)
    h1 = paragraph_style(
        doc, "Heading 1", size=15, bold=True, colour=BLUE, before=22, after=8, keep=True
    )
    borders(h1.element.get_or_add_pPr(), bottom=("003580", 6, 3))
    paragraph_style(doc, "Heading 2", size=11, bold=True, before=14, after=5, keep=True)
    paragraph_style(doc, "Caption", size=9.5, before=10, after=4, keep=True)
    paragraph_style(doc, "Report Note", size=8.5, colour=MUTED, after=4)
    paragraph_style(doc, "Report Table", size=9, after=0).paragraph_format.line_spacing = 1.0
    paragraph_style(doc, "Report Kind", size=10.5, colour=MUTED, before=70, after=4)
    paragraph_style(doc, "Report Quote", size=10, after=1, keep=True)
    paragraph_style(doc, "Report Attribution", size=8.3, colour=MUTED, after=0)
    gap = paragraph_style(doc, "Report Gap", size=4, after=0)
    gap.paragraph_format.line_spacing = 1.0
    paragraph_style(doc, "Report Running", size=8.5, colour=MUTED, after=0)
    paragraph_style(doc, "Appendix Meta", size=8, colour=MUTED, before=5, after=1, keep=True)
    paragraph_style(doc, "Appendix Text", size=9, after=2)


def page_setup(doc, report: Report) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    section.header_distance = section.footer_distance = Mm(12)
    section.different_first_page_header_footer = True
    run = report.running

    header = section.header.paragraphs[0]
    header.style = doc.styles["Report Running"]
    stops = header.paragraph_format.tab_stops
    stops.add_tab_stop(TEXT_WIDTH // 2, WD_TAB_ALIGNMENT.CENTER)
    stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    org = header.add_run(run.organisation)
    org.bold, org.font.color.rgb = True, BLUE
    header.add_run("\t" + run.kind.upper() + "\t")
    field(header, "PAGE")
    header.add_run(" (")
    field(header, "NUMPAGES")
    header.add_run(")")
    borders(header._p.get_or_add_pPr(), bottom=("9AA5B4", 5, 4))

    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Report Running"]
    footer.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run(f"{run.title}\t{run.reference}")
    borders(footer._p.get_or_add_pPr(), top=("9AA5B4", 5, 4))


def metadata(doc, report: Report) -> None:
    props = doc.core_properties
    props.title = report.document_title
    props.subject = report.subject
    props.author = report.author
    props.keywords = ", ".join(report.keywords)
    props.language = LOCALES.get(report.lang, report.lang)
    props.created = report.made_at.replace(tzinfo=None)
    props.comments = "eRaati"
    props.last_modified_by = "eRaati"
    # python-docx's template carries a thumbnail of its own empty page: not this report's.
    rels = doc.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype.endswith("/thumbnail")]:
        del rels[rid]
