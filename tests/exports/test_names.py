"""Names in exports: only when the organisation allows it AND the writer consented."""

from __future__ import annotations

import pytest

from eraati.exports.formats import FORMATS
from tests.exports.support import all_text, csv_records
from tests.exports.test_files import by_text, export


def _writers(world) -> dict[str, str]:
    texts = by_text(csv_records(export(world.topic, "csv"), excel=False))
    return {
        "aino": texts[world.comments["web"].body]["Writer (pseudonym)"],
        "olli": texts[world.comments["reply"].body]["Writer (pseudonym)"],
    }


@pytest.mark.parametrize(
    ("org_allows", "aino_consents", "named"),
    [(False, False, False), (False, True, False), (True, False, False), (True, True, True)],
)
def test_a_name_needs_both_the_setting_and_the_consent(db, world, org_allows, aino_consents, named):
    world.org.names_in_exports = org_allows
    world.people["aino"].name_consent = aino_consents
    db.session.commit()
    writers = _writers(world)
    if named:
        assert writers["aino"].startswith("Aino Virtanen (P-")
    else:
        assert "Aino" not in writers["aino"]
        assert writers["aino"].startswith("P-")
    assert "Olli" not in writers["olli"]  # Olli never consented


def test_the_pseudonym_stays_beside_the_name(db, world):
    before = _writers(world)["aino"]
    world.org.names_in_exports = True
    world.people["aino"].name_consent = True
    db.session.commit()
    assert _writers(world)["aino"] == f"Aino Virtanen ({before})"


@pytest.mark.parametrize("code", sorted(FORMATS))
def test_e_mail_addresses_stay_out_even_with_names(db, world, code):
    world.org.names_in_exports = True
    for person in world.people.values():
        person.name_consent = True
    db.session.commit()
    text = all_text(export(world.topic, code, "fi"))
    assert "@example.fi" not in text
