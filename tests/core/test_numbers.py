"""Counts are written as each language writes numbers: "20 000 kommenttia", "20 000
kommentarer", "20,000 comments" (Finnish and Swedish group with a no-break space)."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from flask_babel import force_locale, gettext, ngettext
from wtforms.validators import Length, ValidationError

from eraati.core.i18n import lazy_gettext
from tests import factories
from tests.consultations.topic_support import make_comment

NBSP = "\u00a0"


def _page(client, url: str, lang: str) -> str:
    with client.session_transaction() as session:
        session["lang"] = lang
    response = client.get(url)
    assert response.status_code == 200, url
    # One space for any run of white space except the no-break one the counts carry.
    return re.sub(r"[ \t\r\n]+", " ", response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", f"20{NBSP}000 kommenttia"),
        ("sv", f"20{NBSP}000 kommentarer"),
        ("en", "20,000 comments"),
    ],
)
def test_gettext_everywhere_writes_counts_by_the_language(app, lang, expected):
    """Flask-Babel's gettext and ngettext, a form's lazy message filled later (as WTForms
    fills it) and a template's ngettext all go through the same place."""
    with app.test_request_context(), force_locale(lang):
        assert ngettext("%(num)d comment", "%(num)d comments", 20000) == expected
        assert (
            render_template_string(
                '{{ ngettext("%(num)d comment", "%(num)d comments", n) }}', n=20000
            )
            == expected
        )
        count = expected.split(" ")[0]
        assert count in gettext("Use at most %(max)d characters.", max=20000)
        message = lazy_gettext("Use at most %(max)d characters.")
        assert count in str(message % {"max": 20000})
        # A comment's number is an identifier, not a count: never grouped.
        assert gettext("a reply to #%(number)s", number=str(12345)).endswith("#12345")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_form_limit_is_written_by_the_language(app, lang):
    """WTForms' Length fills the message itself: 100 000 characters, not 100000."""

    class Field:
        data = "x" * 100_001

        def gettext(self, s):
            return s

        def ngettext(self, s, p, n):
            return s if n == 1 else p

    validator = Length(max=100_000, message=lazy_gettext("Use at most %(max)d characters."))
    with app.test_request_context(), force_locale(lang), pytest.raises(ValidationError) as err:
        validator(None, Field())
    assert ("100,000" if lang == "en" else f"100{NBSP}000") in str(err.value)


BIG = {
    "fi": {
        "front": f"20{NBSP}000 kommenttia",
        "heading": f"Kommentit (20{NBSP}000)",
        "agree": f"Samaa mieltä 1{NBSP}234",
        "followers": f"1{NBSP}234 henkilöä seuraa tätä kuulemista.",
        "staff": f"20{NBSP}000 näkyvissä",
    },
    "sv": {
        "front": f"20{NBSP}000 kommentarer",
        "heading": f"Kommentarer (20{NBSP}000)",
        "agree": f"Instämmer 1{NBSP}234",
        "followers": f"1{NBSP}234 personer följer det här hörandet.",
        "staff": f"20{NBSP}000 visas",
    },
    "en": {
        "front": "20,000 comments",
        "heading": "Comments (20,000)",
        "agree": "Agree 1,234",
        "followers": "1,234 people follow this consultation.",
        "staff": "20,000 shown",
    },
}


@pytest.fixture
def big_topic(db, org, other_resident):
    org.languages = "fi,sv"
    topic = factories.make_topic(org, slug="iso", title="Iso aihe", title_sv="Stort ämne")
    make_comment(topic, other_resident, "Suosittu kommentti.", agree_count=1234)
    topic.comment_count = 20_000
    topic.follower_count = 1234
    topic.hidden_count = 1500
    db.session.commit()
    return topic


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_pages_write_big_counts_by_the_language(client, login_as, big_topic, org_admin, lang):
    words = BIG[lang]
    front = _page(client, "/", lang)
    assert words["front"] in front
    topic = _page(client, f"/{big_topic.organisation.slug}/{big_topic.slug}", lang)
    assert words["heading"] in topic
    assert words["agree"] in topic
    assert words["followers"] in topic

    login_as(org_admin)
    staff = _page(client, f"/staff/{big_topic.organisation.slug}/topics", lang)
    assert words["staff"] in staff
    work = _page(client, f"/staff/{big_topic.organisation.slug}/topics/{big_topic.id}/work", lang)
    counts = ("20,000", "1,500", "1,234") if lang == "en" else ("20 000", "1 500", "1 234")
    for count in counts:
        assert f"<dd>{count.replace(' ', NBSP)}</dd>" in work
    for page in (front, topic, staff, work):
        assert "20000" not in page and "1234" not in page
