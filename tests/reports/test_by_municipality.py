"""The report (DOCX and PDF) of a joint authority's topic has its results by home
municipality, suppressed as on the results page; other topics' reports have none."""

from __future__ import annotations

import pytest

from eraati.consultations.models import Stance
from eraati.extensions import db as _db
from eraati.organisations import services
from eraati.organisations.models import OrganisationKind
from tests import factories
from tests.reports.support import docx_headings, docx_text, make, pdf_text, squeeze
from tests.results.support import answer, stance


@pytest.fixture
def sote_topic(db):
    org = factories.make_org("ylasavon-sote", "Ylä-Savon SOTE",
                             kind=OrganisationKind.JOINT_AUTHORITY)  # fmt: skip
    services.set_member_codes(org, ["140", "925"])
    topic = factories.make_closed_topic(org, slug="sote", stances_enabled=True)
    for code, n in (("140", 7), ("925", 2), (None, 6)):
        for _ in range(n):
            user = factories.make_user()
            user.home_municipality_code = code
            stance(topic, user, Stance.SUPPORT)
            answer(topic, user, 0, 0)
    _db.session.commit()
    return topic


def test_the_docx_has_the_section_and_hides_small_groups(app, sote_topic):
    data = make(sote_topic, "docx", "fi")
    assert any(h.endswith("Tulokset asuinkunnittain") for h in docx_headings(data))
    text = docx_text(data)
    assert "Kannat asuinkunnittain" in text
    assert "Iisalmi" in text and "Vieremä" in text and "Muu kunta tai ulkomaat" in text
    assert "piilotettu" in text  # Vieremä's 2 people


def test_the_pdf_in_swedish_has_the_section(app, sote_topic):
    text = squeeze(pdf_text(make(sote_topic, "pdf", "sv")))
    assert squeeze("Resultat per hemkommun") in text
    assert squeeze("Idensalmi") in text
    assert "dold" in text


def test_a_municipality_report_has_no_such_section(app, db, org):
    topic = factories.make_closed_topic(org, stances_enabled=True)
    _db.session.commit()
    assert "asuinkunnittain" not in docx_text(make(topic, "docx", "fi"))
