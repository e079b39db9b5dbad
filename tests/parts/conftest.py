import pytest

from eraati.organisations.models import Role
from tests import factories
from tests.consultations.topic_support import Browser


@pytest.fixture
def browser(app, client):
    return Browser(app, client)


@pytest.fixture
def other_org_admin(db, other_org):
    user = factories.make_user("paakayttaja@vierema.fi", org=other_org, roles=(Role.ADMIN,))
    db.session.commit()
    return user


@pytest.fixture
def bilingual_topic(db, org):
    org.languages = "fi,sv"
    org.name_sv = "Keitele"
    topic = factories.make_topic(
        org, slug="strategia", title="Strategialuonnos", title_sv="Strategiutkast"
    )
    db.session.commit()
    return topic
