"""The reference list of municipalities (eraati/organisations/data/municipalities.csv)."""

from __future__ import annotations

import re

from eraati.organisations import municipalities as m

ALAND = {"035", "043", "060", "062", "065", "076", "170", "295", "318", "417", "438", "478"}
ALAND |= {"736", "766", "771", "941"}


def test_the_2025_classification_has_309_municipalities_with_three_digit_codes():
    rows = m.all_municipalities()
    assert len(rows) == 309
    assert all(re.fullmatch(r"\d{3}", r.code) for r in rows)
    assert len({r.code for r in rows}) == 309
    # Merged or not municipalities at all: Honkajoki (2021), Valtimo (2020), "abroad".
    for gone in ("099", "911", "198", "200", "999"):
        assert m.get(gone) is None


def test_aland_is_included_and_grouped_apart():
    assert {r.code for r in m.all_municipalities() if r.area == "AH"} == ALAND
    assert m.name("478", "fi") == "Maarianhamina"
    assert m.name("478", "sv") == "Mariehamn"


def test_bilingual_municipalities_have_their_swedish_names():
    expected = {
        "091": "Helsingfors",
        "049": "Esbo",
        "092": "Vanda",
        "853": "Åbo",
        "905": "Vasa",
        "638": "Borgå",
        "287": "Kristinestad",
        "710": "Raseborg",
        "257": "Kyrkslätt",
        "445": "Pargas",
        "946": "Vörå",
        "599": "Pedersöre",
        "140": "Idensalmi",
    }
    for code, swedish in expected.items():
        assert m.name(code, "sv") == swedish, code


def test_a_name_in_a_locale_falls_back_to_finnish():
    assert m.name("925", "sv") == "Vieremä"  # no Swedish name of its own
    assert m.name("140", "en") == "Iisalmi"
    assert m.name("140", "fi") == "Iisalmi"
    assert m.name("nope", "fi") is None
    assert m.name(None, "fi") is None


def test_is_code_refuses_unknown_and_empty_codes():
    assert m.is_code("140")
    for bad in ("", None, "14", "1400", "099", "other", " 140"):
        assert not m.is_code(bad)


def test_sorting_follows_the_finnish_and_swedish_alphabets():
    names = [r.name_fi for r in m.sorted_by_name("fi")]
    assert names.index("Äänekoski") > names.index("Ylöjärvi")
    sv = [r.name("sv") for r in m.sorted_by_name("sv", ["091", "853", "905"])]
    assert sv == ["Helsingfors", "Vasa", "Åbo"]


def test_grouped_by_area_covers_every_municipality_once():
    groups = m.grouped_by_area("fi")
    codes = [r.code for _, rows in groups for r in rows]
    assert sorted(codes) == sorted(r.code for r in m.all_municipalities())
    assert dict(groups)["Pohjois-Savo"][0].name_fi == "Iisalmi"
    assert "Norra Savolax" in dict(m.grouped_by_area("sv"))
