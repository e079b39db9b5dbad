import pytest
import sqlalchemy as sa

from benchmarks import data
from eraati.accounts.models import User
from eraati.consultations import demo_content
from eraati.organisations.models import Organisation, OrganisationKind


@pytest.fixture
def bench_people(app, db):
    """The benchmark organisation and the demo residents (the seeded comments' authors),
    as the harness has them before it seeds a scenario's topic."""
    db.session.add(
        Organisation(slug=data.ORG, kind=OrganisationKind.MUNICIPALITY, name_fi="Iisalmi")
    )
    db.session.execute(
        sa.insert(User),
        [
            {
                "email": p.email,
                "password_hash": "not-used",
                "display_name": p.name,
                "locale": "fi",
                "is_platform_admin": False,
                "session_version": 1,
            }
            for p in demo_content.RESIDENTS
        ],
    )
    db.session.commit()
