"""Share metadata (Open Graph, X/Twitter card) of topic and results pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.consultations.models import TopicStatus
from eraati.core.time import utcnow
from tests import factories
from tests.consultations.participation_support import get, text
from tests.organisations.support import PNG
from tests.page_support import read


def _meta(page: str) -> dict[str, str]:
    out = {}
    for m in read(page).find("meta"):
        key = m.attrs.get("property") or m.attrs.get("name")
        if key and (key.startswith(("og:", "twitter:")) or key == "description"):
            assert key not in out, f"{key} twice"
            out[key] = m.attrs.get("content")
    return out


@pytest.fixture
def topic(db, org):
    org.languages = "fi,sv"
    org.name_sv = "Keitele kommun"
    topic = factories.make_topic(org, slug="uimahalli", title="Uimahalli", title_sv="Simhallen")
    fi, sv = topic.translations
    fi.summary = "Uimahallin <aukioloajat> & hinnat.\nKerro mielipiteesi!"
    sv.summary = "Simhallens öppettider."
    db.session.commit()
    return topic


def test_topic_page_shares_title_summary_address_and_language(client, topic):
    meta = _meta(text(get(client, "/keitele/uimahalli?lang=fi")))
    assert meta["og:title"] == "Uimahalli"
    # Plain text (the parser has unescaped the attribute), on one line.
    assert meta["og:description"] == "Uimahallin <aukioloajat> & hinnat. Kerro mielipiteesi!"
    assert meta["og:url"] == "http://localhost/keitele/uimahalli?lang=fi"
    assert meta["og:type"] == "article"
    assert meta["og:locale"] == "fi_FI"
    assert meta["twitter:card"] == "summary"
    assert "og:image" not in meta  # no logo: no image
    raw = text(get(client, "/keitele/uimahalli?lang=fi"))
    assert "&lt;aukioloajat&gt; &amp; hinnat" in raw  # escaped in the attribute

    meta = _meta(text(get(client, "/keitele/uimahalli?lang=sv")))
    assert (meta["og:title"], meta["og:description"]) == ("Simhallen", "Simhallens öppettider.")
    assert meta["og:locale"] == "sv_FI"
    assert meta["og:url"] == "http://localhost/keitele/uimahalli?lang=sv"


def test_a_long_summary_is_trimmed_and_the_text_stands_in_for_a_missing_one(db, client, topic):
    fi = topic.translations[0]
    fi.summary = "Sana " * 100
    db.session.commit()
    description = _meta(text(get(client, "/keitele/uimahalli?lang=fi")))["og:description"]
    assert len(description) <= 201 and description.endswith("…")
    fi.summary = ""
    fi.body = "<p>Uimahalli <strong>suljetaan</strong> remontin ajaksi.</p><style>p {}</style>"
    db.session.commit()
    description = _meta(text(get(client, "/keitele/uimahalli?lang=fi")))["og:description"]
    assert description == "Uimahalli suljetaan remontin ajaksi."


def test_the_organisations_logo_is_the_image(db, client, org, topic):
    org.logo, org.logo_type, org.logo_updated_at = PNG, "image/png", utcnow()
    db.session.commit()
    meta = _meta(text(get(client, "/keitele/uimahalli?lang=en")))
    stamp = int(org.logo_updated_at.timestamp())
    assert meta["og:image"] == f"http://localhost/logo/keitele?v={stamp}"
    assert meta["og:locale"] == "en_GB"
    assert client.get(meta["og:image"].removeprefix("http://localhost")).status_code == 200


def test_results_page_shares_too(db, client, org, topic):
    topic.status = TopicStatus.PUBLISHED
    topic.opens_at = utcnow() - timedelta(days=30)
    topic.closes_at = utcnow() - timedelta(days=2)
    topic.results_published_at = utcnow()
    db.session.commit()
    meta = _meta(text(get(client, "/keitele/uimahalli/results?lang=fi")))
    assert meta["og:title"] == "Tulokset: Uimahalli"
    assert meta["og:url"] == "http://localhost/keitele/uimahalli/results?lang=fi"
    assert meta["og:description"].startswith("Uimahallin <aukioloajat>")
    assert meta["twitter:card"] == "summary"


def test_a_draft_has_no_share_metadata(db, client, login_as, org, moderator):
    factories.make_topic(org, slug="luonnos", status=TopicStatus.DRAFT)
    db.session.commit()
    login_as(moderator)
    assert _meta(text(get(client, "/keitele/luonnos"))) == {}
