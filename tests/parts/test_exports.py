"""The raw data carries the part and the paragraph of each comment, and the quote."""

import io

import openpyxl

from eraati.consultations import services as topic_services
from eraati.exports import services
from eraati.extensions import db
from tests.exports.support import csv_records
from tests.parts.support import comment_on, make_parts


def _export(topic, code):
    return b"".join(services.prepare(topic, code, "en").chunks)


def test_the_comment_files_have_part_paragraph_and_quote(open_topic, resident, other_resident):
    _first, second = make_parts(open_topic, 2)
    general = topic_services.post_comment(open_topic, resident, "Yleinen")
    on_paragraph = comment_on(
        open_topic, second, resident, "Kappaleesta", paragraph=3, quote="Kolmas: luettelon kohta."
    )
    reply = topic_services.post_comment(open_topic, other_resident, "Vastaus", parent=on_paragraph)
    db.session.commit()
    records = {r["Comment ID"]: r for r in csv_records(_export(open_topic, "csv"), excel=False)}
    assert (records[str(general.id)]["Part"], records[str(general.id)]["Paragraph"]) == ("", "")
    row = records[str(on_paragraph.id)]
    assert (row["Part"], row["Paragraph"], row["Quoted paragraph"]) == (
        "2",
        "3",
        "Kolmas: luettelon kohta.",
    )
    assert (records[str(reply.id)]["Part"], records[str(reply.id)]["Paragraph"]) == ("2", "")

    sheet = openpyxl.load_workbook(io.BytesIO(_export(open_topic, "xlsx"))).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[-3:] == ["Part", "Paragraph", "Quoted paragraph"]
    values = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[on_paragraph.id][-3:] == (2, 3, "Kolmas: luettelon kohta.")
