"""The download formats: what each contains, its file name and type, and its writer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from eraati.core.i18n import lazy_gettext as _l
from eraati.exports import tables
from eraati.exports.rows import Snapshot
from eraati.exports.tables import LocalTable, Table, Words
from eraati.exports.writers import Progress
from eraati.exports.writers.csvfile import write_csv, write_csv_excel
from eraati.exports.writers.geojsonfile import write_geojson
from eraati.exports.writers.jsonfile import write_json
from eraati.exports.writers.polis import write_polis
from eraati.exports.writers.xlsxfile import write_xlsx

Writer = Callable[[Snapshot, tuple[LocalTable, ...], Words, Progress], Iterator[bytes]]


@dataclass(frozen=True)
class Format:
    code: str
    label: Any
    description: Any
    suffix: str  # file name ending: "-excel.csv", ".xlsx"
    mimetype: str
    tables: tuple[Table, ...]
    counted: tuple[str, ...]  # tables whose rows move a progress bar
    write: Writer
    # Only for a topic that has a map (eraati.places, ``topic_maps``): offered and given
    # for no other topic.
    needs_map: bool = False

    def offered(self, topic: Any) -> bool:
        """Whether the topic's export page offers this format (and its address gives it)."""
        return not self.needs_map or topic.map_area is not None


FORMATS: dict[str, Format] = {
    f.code: f
    for f in (
        Format(
            "xlsx",
            _l("Excel workbook (XLSX)"),
            _l(
                "Comments, stances, poll answers, themes and participation on separate "
                "sheets. Times are in Finnish time."
            ),
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            tables.ALL,
            tables.COUNTED,
            write_xlsx,
        ),
        Format(
            "csv-excel",
            _l("CSV for Excel"),
            _l(
                "The comments as a table that Finnish Excel opens with a double click: "
                "semicolons between the columns, times as 01.03.2026 12:40 in Finnish time."
            ),
            "-excel.csv",
            "text/csv; charset=utf-8",
            (tables.COMMENTS,),
            ("comments",),
            write_csv_excel,
        ),
        Format(
            "csv-answers-excel",
            _l("Poll answers as CSV for Excel"),
            _l(
                "Every poll and survey answer as a table that Finnish Excel opens with a "
                "double click: the chosen options, a ranking's order, a scale's value and "
                "the open answers, one row per person and question."
            ),
            "-answers-excel.csv",
            "text/csv; charset=utf-8",
            (tables.POLL_ANSWERS,),
            ("poll_answers",),
            write_csv_excel,
        ),
        Format(
            "csv",
            _l("CSV (standard)"),
            _l(
                "The comments for programs and scripts: commas between the columns "
                "(RFC 4180), UTF-8, times in UTC (ISO 8601), codes instead of words."
            ),
            ".csv",
            "text/csv; charset=utf-8",
            (tables.COMMENTS,),
            ("comments",),
            write_csv,
        ),
        Format(
            "json",
            _l("JSON"),
            _l(
                "Everything in one file for programs: the consultation's details, "
                "comments, stances, poll answers, themes and participation."
            ),
            ".json",
            "application/json",
            tables.ALL,
            tables.COUNTED,
            write_json,
        ),
        Format(
            "geojson",
            _l("GeoJSON (map)"),
            _l(
                "The comments with a place on the consultation's map, one point each "
                "(WGS 84), for map programs such as QGIS: the comment's number, time, place, "
                "writer's pseudonym and text."
            ),
            ".geojson",
            "application/geo+json",
            (tables.COMMENTS,),
            ("comments",),
            write_geojson,
            needs_map=True,
        ),
        Format(
            "polis",
            _l("Polis (ZIP)"),
            _l(
                "The comments, votes, opinion groups and a summary in the five files of "
                "Polis's own export (comments.csv, votes.csv, participants-votes.csv, "
                "comment-groups.csv, summary.csv), for analysis tools made for Polis "
                "conversations."
            ),
            "-polis.zip",
            "application/zip",
            (),
            ("comments",),
            write_polis,
        ),
    )
}
