"""What the topic page's and the write paths' speed-ups must not change.

The comment tree is one flat loop (consultations/views/threads.py, _comment.html), the
translations are looked up once per request (core/i18n.py), a read-only page ends its
transaction with COMMIT, and votes and comments are written by cached statements. These
tests hold the behaviour each of them replaced.
"""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import flask_babel
import sqlalchemy as sa
from flask import render_template_string, session
from werkzeug.datastructures import MultiDict

from eraati.consultations import participation, services
from eraati.consultations.models import Comment, CommentStatus, CommentVote, VoteValue
from eraati.consultations.participation_forms import VoteForm
from eraati.core import i18n
from tests.consultations.topic_support import Browser, make_comment, topic_path


class _Tree(HTMLParser):
    """The comment list's <ol>/<li>/<article> nesting: the parent comment of each comment,
    and whether every list and item is closed where it should be."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[list] = []  # [tag, comment id of the <li>'s article]
        self.parent: dict[str, str | None] = {}
        self.errors: list[str] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ol" and attrs.get("class") == "comments":
            self.inside = True
        if not self.inside:
            return
        if tag in ("ol", "li"):
            self.stack.append([tag, None])
        elif tag == "article" and (attrs.get("id") or "").startswith("c"):
            items = [e for e in self.stack if e[0] == "li"]
            if not items or items[-1][1] is not None:
                self.errors.append(f"{attrs['id']} is not the first article of its <li>")
                return
            items[-1][1] = attrs["id"]
            self.parent[attrs["id"]] = items[-2][1] if len(items) > 1 else None

    def handle_endtag(self, tag):
        if not self.inside or tag not in ("ol", "li"):
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else None}")
            return
        self.stack.pop()
        if not self.stack:
            self.inside = False


def test_reply_threads_nest_in_the_html_as_they_do_in_the_database(
    db, app, client, open_topic, resident, other_resident
):
    """Four levels of replies, a second reply and two threads: every comment sits in the
    list of replies of its own parent, and every list and item closes in order."""
    a = make_comment(open_topic, resident, "a", age=timedelta(minutes=60))
    b = make_comment(open_topic, other_resident, "b", parent=a, age=timedelta(minutes=50))
    c = make_comment(open_topic, resident, "c", parent=b, age=timedelta(minutes=40))
    d = make_comment(open_topic, other_resident, "d", parent=c, age=timedelta(minutes=30))
    e = make_comment(open_topic, resident, "e", parent=a, age=timedelta(minutes=20))
    f = make_comment(open_topic, resident, "f", age=timedelta(minutes=10))
    g = make_comment(open_topic, other_resident, "g", parent=f, age=timedelta(minutes=5))
    db.session.commit()

    page = Browser(app, client).get(topic_path(open_topic) + "?sort=oldest").get_data(True)
    tree = _Tree()
    tree.feed(page)
    assert tree.errors == []
    assert tree.stack == []  # the comment list ended
    assert tree.parent == {
        f"c{a.id}": None,
        f"c{b.id}": f"c{a.id}",
        f"c{c.id}": f"c{b.id}",
        f"c{d.id}": f"c{c.id}",
        f"c{e.id}": f"c{a.id}",
        f"c{f.id}": None,
        f"c{g.id}": f"c{f.id}",
    }
    # Depth first, replies oldest first.
    order = [k for k in tree.parent]
    assert order == [f"c{x.id}" for x in (a, b, c, d, e, f, g)]


def test_the_topic_page_ends_its_read_only_transaction_with_a_commit(
    db, app, client, open_topic, resident
):
    """psycopg forgets its prepared statements at a rollback: the page commits instead."""
    make_comment(open_topic, resident, "Hyvä.")
    db.session.commit()
    events: list[str] = []
    engine = db.engine
    listeners = {
        "commit": lambda conn: events.append("commit"),
        "rollback": lambda conn: events.append("rollback"),
    }
    for name, fn in listeners.items():
        sa.event.listen(engine, name, fn)
    try:
        response = Browser(app, client).get(topic_path(open_topic))
    finally:
        for name, fn in listeners.items():
            sa.event.remove(engine, name, fn)
    assert response.status_code == 200
    assert events == ["commit"]


def test_translations_follow_a_language_change_within_a_request(app):
    with app.test_request_context("/", headers={"Accept-Language": "fi"}):
        flask_babel.refresh()  # the test's app context (and g) outlives each request
        assert i18n.gettext("Reply") == "Vastaa"
        assert render_template_string('{{ _("Reply") }}') == "Vastaa"
        session["lang"] = "sv"
        flask_babel.refresh()  # what the language switch does
        assert i18n.gettext("Reply") == "Svara"
        assert render_template_string('{{ _("Reply") }}') == "Svara"
        with flask_babel.force_locale("en"):
            assert i18n.gettext("Reply") == "Reply"
            assert render_template_string('{{ _("Reply") }}') == "Reply"
        assert i18n.gettext("Reply") == "Svara"


def test_template_translations_escape_their_values_and_always_format(app):
    """Jinja's new-style gettext: values are escaped, ``%%`` is a percent sign, ``num``."""
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        flask_babel.refresh()
        out = render_template_string(
            '{{ _("Hidden by the moderator: %(reason)s", reason=r) }}|{{ _("100%%") }}|'
            '{{ ngettext("%(num)d person follows this consultation.", '
            '"%(num)d people follow this consultation.", 3) }}',
            r="<b>spam</b>",
        )
    assert out == (
        "Hidden by the moderator: &lt;b&gt;spam&lt;/b&gt;|100%|3 people follow this consultation."
    )


def test_wtforms_own_messages_speak_the_request_language(app):
    for lang, expected in (("fi", "Virheellinen valinta"), ("sv", "Inte ett giltigt val")):
        with app.test_request_context("/", method="POST", headers={"Accept-Language": lang}):
            flask_babel.refresh()  # the test's app context (and g) outlives each request
            app.preprocess_request()
            form = VoteForm(formdata=MultiDict({"value": "maybe"}), meta={"csrf": False})
            assert not form.validate()
            assert form.value.errors == [expected]


def test_a_first_vote_and_its_count_are_written_together(db, open_topic, resident):
    """One statement on PostgreSQL, two on SQLite; the counter equals the rows either way,
    and a second first vote (the same person again) neither adds a row nor counts."""
    comment = make_comment(open_topic, None, "Paperilla.", nickname="Nimetön")
    db.session.commit()
    participation.vote_comment(comment, resident, VoteValue.AGREE)
    participation.vote_comment(comment, resident, VoteValue.AGREE)
    db.session.commit()
    stored = db.session.get(Comment, comment.id)
    assert stored.agree_count == 1
    rows = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(CommentVote)
        .where(CommentVote.comment_id == comment.id)
    )
    assert rows == 1


def test_a_saved_comment_is_the_row_without_reading_it_back(db, open_topic, resident):
    """``save_counted`` writes the row and makes the object that row: its id, its
    defaults, in the session, counted once; the same token again gives the same comment."""
    first = services.post_comment(open_topic, resident, "Hyvä.", token="a" * 32)
    again = services.post_comment(open_topic, resident, "Hyvä.", token="a" * 32)
    db.session.commit()
    assert first.id is not None and again.id == first.id
    stored = db.session.get(Comment, first.id)
    assert stored is first  # the same object, in the session
    assert (stored.status, stored.source, stored.is_key) == (CommentStatus.VISIBLE, "web", False)
    db.session.refresh(open_topic)
    assert open_topic.comment_count == 1
