"""The reference list of Finnish municipalities (``data/municipalities.csv``, Statistics
Finland's classification; see ``data/README.md``), read once and kept in memory.

A municipality is known by its three-digit Statistics Finland code ("140" Iisalmi). The
code is what is stored (``authority_members.municipality_code``,
``users.home_municipality_code``); names come from here in the page's language.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "municipalities.csv"
CLASSIFICATION_YEAR = 2025

# A resident's answer "another municipality or outside Finland" (not a Statistics Finland
# code: those are three digits).
OTHER = "other"


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str
    name_fi: str
    name_sv: str
    area: str  # the wellbeing services county, for grouping a long list

    def name(self, locale: str) -> str:
        """The name in ``locale``: Swedish where the page is Swedish, otherwise Finnish
        (a municipality has no English name of its own)."""
        return self.name_sv or self.name_fi if locale == "sv" else self.name_fi


# The areas (wellbeing services counties, Helsinki and Åland) in Finnish and Swedish.
AREA_NAMES: dict[str, tuple[str, str]] = {
    "HE": ("Helsinki", "Helsingfors"),
    "IU": ("Itä-Uusimaa", "Östra Nyland"),
    "KU": ("Keski-Uusimaa", "Mellersta Nyland"),
    "LU": ("Länsi-Uusimaa", "Västra Nyland"),
    "VK": ("Vantaa ja Kerava", "Vanda och Kervo"),
    "VS": ("Varsinais-Suomi", "Egentliga Finland"),
    "SA": ("Satakunta", "Satakunta"),
    "KH": ("Kanta-Häme", "Egentliga Tavastland"),
    "PI": ("Pirkanmaa", "Birkaland"),
    "PH": ("Päijät-Häme", "Päijänne-Tavastland"),
    "KY": ("Kymenlaakso", "Kymmenedalen"),
    "EK": ("Etelä-Karjala", "Södra Karelen"),
    "ES": ("Etelä-Savo", "Södra Savolax"),
    "PS": ("Pohjois-Savo", "Norra Savolax"),
    "PK": ("Pohjois-Karjala", "Norra Karelen"),
    "KS": ("Keski-Suomi", "Mellersta Finland"),
    "EP": ("Etelä-Pohjanmaa", "Södra Österbotten"),
    "PO": ("Pohjanmaa", "Österbotten"),
    "KP": ("Keski-Pohjanmaa", "Mellersta Österbotten"),
    "PP": ("Pohjois-Pohjanmaa", "Norra Österbotten"),
    "KA": ("Kainuu", "Kajanaland"),
    "LA": ("Lappi", "Lappland"),
    "AH": ("Ahvenanmaa", "Åland"),
}


@cache
def _table() -> dict[str, Municipality]:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        rows = [
            Municipality(r["code"], r["name_fi"], r["name_sv"] or r["name_fi"], r["area"])
            for r in csv.DictReader(lines)
        ]
    return {m.code: m for m in rows}


def all_municipalities() -> list[Municipality]:
    """Every municipality, in code order."""
    return list(_table().values())


def get(code: str | None) -> Municipality | None:
    return _table().get(code) if code else None


def is_code(code: str | None) -> bool:
    return bool(code) and code in _table()


def name(code: str | None, locale: str) -> str | None:
    municipality = get(code)
    return municipality.name(locale) if municipality else None


def area_name(area: str, locale: str) -> str:
    fi, sv = AREA_NAMES.get(area, (area, area))
    return sv if locale == "sv" else fi


@cache
def _sorted(locale: str) -> tuple[Municipality, ...]:
    from eraati.accounts.queries import sort_key  # import cycle at start-up

    return tuple(sorted(_table().values(), key=lambda m: sort_key(m.name(locale))))


def sorted_by_name(locale: str, codes: list[str] | set[str] | None = None) -> list[Municipality]:
    """The municipalities (all, or those of ``codes``) in the alphabetical order of their
    names in ``locale``."""
    rows = _sorted("sv" if locale == "sv" else "fi")
    if codes is None:
        return list(rows)
    wanted = set(codes)
    return [m for m in rows if m.code in wanted]


def grouped_by_area(locale: str) -> list[tuple[str, list[Municipality]]]:
    """(area name, its municipalities by name) in the alphabetical order of the areas."""
    from eraati.accounts.queries import sort_key

    groups: dict[str, list[Municipality]] = {}
    for m in sorted_by_name(locale):
        groups.setdefault(m.area, []).append(m)
    return sorted(
        ((area_name(a, locale), ms) for a, ms in groups.items()), key=lambda g: sort_key(g[0])
    )
