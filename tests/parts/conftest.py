import pytest

from tests import factories


@pytest.fixture
def bilingual_topic(db, org):
    org.languages = "fi,sv"
    org.name_sv = "Keitele"
    topic = factories.make_topic(
        org, slug="strategia", title="Strategialuonnos", title_sv="Strategiutkast"
    )
    db.session.commit()
    return topic
