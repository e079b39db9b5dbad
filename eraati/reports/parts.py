"""The report's section on a draft read part by part (eraati.parts): comments by part and
by paragraph, and the most commented paragraphs quoted. Nothing for a topic without parts."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from eraati.consultations.models import Topic
from eraati.parts.results import part_figures
from eraati.reports.model import Block, Para, Quote, Subheading, xml_safe
from eraati.results.display import Row, number


def part_blocks(topic: Topic, lang: str, numbers) -> list[Block]:
    figures = part_figures(topic, lang)
    if figures is None:
        return []
    blocks: list[Block] = [
        numbers.table(
            _("Comments by part"),
            (_("Part"), _("Comments and replies"), _("Comments on a paragraph")),
            [
                Row(
                    f"{p.position}. {xml_safe(p.title)}",
                    (number(p.comments), number(p.on_paragraphs)),
                    p.lang,
                )
                for p in figures.parts
            ],
            [],
        ),
        Para(
            _(
                "Comments on the consultation as a whole are not on any part. Replies are "
                "counted with the part of the comment they reply to."
            ),
            kind="note",
        ),
        Subheading(_("The most commented paragraphs")),
    ]
    quote_lang = figures.quote_lang if figures.quote_lang != lang else None
    if not figures.top:
        blocks.append(Para(_("No comments on paragraphs yet."), kind="empty"))
    for q in figures.top:
        attribution = "{} ({})".format(
            _("Part %(part)d, paragraph %(paragraph)d", part=q.position, paragraph=q.paragraph),
            ngettext("%(num)d comment", "%(num)d comments", q.comments),
        )
        blocks.append(Quote(xml_safe(q.quote), attribution, quote_lang))
    if figures.paragraphs:
        blocks.append(
            numbers.table(
                _("Comments by paragraph"),
                (_("Part"), _("Paragraph"), _("Comments")),
                [
                    Row(
                        f"{q.position}. {xml_safe(q.part_title)}",
                        (str(q.paragraph), number(q.comments)),
                        q.part_lang,
                    )
                    for q in figures.paragraphs
                ],
                [],
            )
        )
    return blocks
