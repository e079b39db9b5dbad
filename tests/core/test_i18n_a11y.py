"""Languages and accessibility: defaults, fallbacks, landmarks, labels and error summaries.

Finnish by default, content falling back to the organisation's first language (topic
cards and polls too), the translation check seeing every source file, and WCAG basics
over a tour of every kind of page: skip link, landmarks, labels tied to fields, an
error summary on every failed form, visible focus, no JavaScript.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from eraati.consultations.models import Option, Question, QuestionKind
from eraati.core import catalogs
from tests import factories
from tests.accounts.helpers import tr
from tests.consultations.topic_support import Browser, choose_language, make_comment, topic_path
from tests.page_support import Element, is_field, read, text, tour

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pages(app, client, login_as):
    """Every kind of page, in Finnish."""
    return tour(app, client, login_as)


def _descendants(element: Element) -> list[Element]:
    out = []
    for child in element.children:
        out.append(child)
        out.extend(_descendants(child))
    return out


# --- languages -------------------------------------------------------------------------------


@pytest.mark.parametrize("accept", [None, "de-DE,de;q=0.9", "*"])
def test_finnish_is_the_default_language(app, accept):
    headers = {"Accept-Language": accept} if accept else {}
    page = text(app.test_client().get("/", headers=headers))
    skip = tr("Skip to content", "fi")
    assert skip != "Skip to content"  # the Finnish catalog has it
    assert '<html lang="fi"' in page
    assert skip in page


def test_the_translation_check_sees_every_source_file():
    """A string in a file no domain extracts would escape the fi/sv check unnoticed."""
    seen = {p.resolve() for d in catalogs.domains() for p in catalogs._sources(d)}
    sources = [
        *ROOT.joinpath("templates").rglob("*.html"),
        *ROOT.joinpath("templates").rglob("*.txt"),
        *(p for p in ROOT.joinpath("eraati").rglob("*.py")),
    ]
    unseen = sorted(str(p.relative_to(ROOT)) for p in sources if p.resolve() not in seen)
    assert sources and unseen == []


def _bilingual_org(languages: str):
    org = factories.make_org(f"org-{languages.replace(',', '-')}", "Kunta", languages=languages)
    org.name_sv = "Kommun"
    return org


def test_topic_cards_fall_back_to_the_organisations_first_language(db, app, client):
    swedish_first = _bilingual_org("sv,fi")
    finnish_first = _bilingual_org("fi,sv")
    factories.make_topic(swedish_first, slug="a", title="Suomeksi A", title_sv="På svenska A")
    factories.make_topic(finnish_first, slug="b", title="Suomeksi B", title_sv="På svenska B")
    db.session.commit()
    choose_language(client, "en")  # no English text: each falls back to its own first language
    page = text(Browser(app, client).get("/"))
    assert re.search(r'lang="sv">\s*<a href="/org-sv-fi/a">På svenska A<', page)
    assert "Suomeksi A" not in page
    assert re.search(r'lang="fi">\s*<a href="/org-fi-sv/b">Suomeksi B<', page)
    assert "På svenska B" not in page


def test_poll_texts_fall_back_to_the_organisations_first_language(
    db, app, client, login_as, resident
):
    org = _bilingual_org("sv,fi")
    topic = factories.make_topic(org, slug="enkat", title="Kysely", title_sv="Enkät")
    question = Question(
        position=0, kind=QuestionKind.SINGLE, texts={"fi": "Kysymys", "sv": "Fråga"}
    )
    question.options.append(Option(position=0, texts={"fi": "Kyllä", "sv": "Ja"}))
    topic.questions.append(question)
    db.session.commit()
    login_as(resident)  # the answer form lists the options
    choose_language(client, "en")
    page = text(Browser(app, client).get(topic_path(topic)))
    # The Swedish texts, marked as Swedish for screen readers on the English page.
    assert '<legend lang="sv">Fråga</legend>' in page and 'lang="sv">Ja</label>' in page
    assert "Kysymys" not in page and "Kyllä" not in page
    choose_language(client, "sv")
    page = text(Browser(app, client).get(topic_path(topic)))
    assert "<legend>Fråga</legend>" in page  # no lang attribute when it is the page's own


# --- accessibility over every kind of page ----------------------------------------------------


def test_skip_link_is_the_first_link_and_leads_to_main(pages):
    for name, html in pages.items():
        page = read(html)
        body = [e for e in page.elements if "body" in e.ancestors]
        focusable = [e for e in body if e.tag in ("a", "button", "input", "select", "textarea")]
        first = focusable[0]
        assert first.tag == "a" and first.attrs.get("href") == "#main", name
        assert first.text.strip() == tr("Skip to content", "fi"), name
        (main,) = page.find("main")
        assert main.attrs.get("id") == "main" and main.attrs.get("tabindex") == "-1", name


def test_every_page_has_landmarks_and_one_heading(pages):
    for name, html in pages.items():
        page = read(html)
        assert len(page.find("main")) == 1, name
        banners = [e for e in page.find("header") if "main" not in e.ancestors]
        footers = [e for e in page.find("footer") if "main" not in e.ancestors]
        assert len(banners) == 1 and len(footers) == 1, name
        navs = page.find("nav")
        assert navs and all(n.attrs.get("aria-label") for n in navs), name
        assert len(page.find("h1")) == 1, name
        (html_tag,) = page.find("html")
        assert html_tag.attrs.get("lang") == "fi", name


def test_every_field_has_a_label_tied_to_it(pages):
    checked = 0
    for name, html in pages.items():
        page = read(html)
        labels = {e.attrs["for"]: e.text.strip() for e in page.find("label") if e.attrs.get("for")}
        for element in filter(is_field, page.elements):
            field_id = element.attrs.get("id")
            described = element.attrs.get("aria-label") or element.attrs.get("aria-labelledby")
            assert described or (field_id and labels.get(field_id)), (name, element.attrs)
            checked += 1
    assert checked > 40  # the tour really met the forms


def test_no_page_needs_javascript(pages):
    for name, html in pages.items():
        assert "<script" not in html.lower(), name
        page = read(html)
        # Every control that changes something is a button in a POST form (or a GET search).
        for button in page.find("button"):
            assert button.form is not None, (name, button.attrs)
            method = page.forms[button.form].attrs.get("method", "get").lower()
            assert method in ("post", "get"), name
    # JavaScript only enhances a topic's map (eraati.places: Leaflet, and our script that
    # lets a mouse user click a point); those pages work without it (tests/browser/test_map.py).
    static = ROOT.joinpath("eraati", "static")
    scripts = sorted(p.relative_to(static).as_posix() for p in static.rglob("*.js"))
    assert scripts == ["js/topic-map.js", "vendor/leaflet/leaflet.js"]


def test_focus_is_visible():
    css = "\n".join(p.read_text() for p in sorted(ROOT.joinpath("eraati/static/css").glob("*.css")))
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)  # comments are not part of a selector
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", css)
    focus_rules = [(s.strip(), body) for s, body in rules if ":focus" in s]
    visible = [
        s
        for s, body in focus_rules
        if re.search(r"outline:\s*(?!none|0)[^;]*\d+px\s+solid", body)
        and (":focus-visible" in s or ":focus" in s)
    ]
    assert any(s.startswith(":focus-visible") for s in visible), focus_rules
    # Focus is never hidden on something a person can operate; only on <main>, which takes
    # focus from the skip link and is not a control.
    hidden = [s for s, body in rules if re.search(r"outline:\s*(none|0)\b", body) and ":focus" in s]
    assert all(s.strip() == "main:focus" for s in hidden), hidden


def _css_rules() -> dict[str, str]:
    css = "\n".join(p.read_text() for p in sorted(ROOT.joinpath("eraati/static/css").glob("*.css")))
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return {s.strip(): body for s, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)}


def test_a_breadcrumb_separator_stays_with_its_item(pages):
    """The separator "›" is never text between the items (where a line could end or begin
    with it alone): the stylesheet draws it inside the item it leads to, in a box that does
    not wrap, on the first line of the item's name."""
    crumbs = 0
    for name, html in pages.items():
        for nav in read(html).find("nav"):
            if "breadcrumbs" not in nav.attrs.get("class", "").split():
                continue
            (ol,) = [c for c in nav.children if c.tag == "ol"]
            items = list(ol.children)
            assert items and all(c.tag == "li" for c in items), name
            between = ol.text
            for item in items:
                between = between.replace(item.text, "", 1)
            assert between.strip() == "", (name, between)
            assert "›" not in nav.text and "&rsaquo;" not in html, name
            crumbs += len(items)
    assert crumbs >= 4  # the tour has breadcrumbs to look at
    rules = _css_rules()
    separator = rules[".breadcrumbs li + li::before"]
    assert re.search(r'content:\s*"›"', separator) and re.search(r"flex:\s*none", separator)
    item = rules[".breadcrumbs li"]
    assert re.search(r"display:\s*inline-flex", item)
    assert re.search(r"flex-wrap:\s*nowrap", item)
    assert re.search(r"align-items:\s*baseline", item)


# --- error summary on every failed form -------------------------------------------------------


@pytest.fixture
def browser(app, client):
    choose_language(client, "fi")
    return Browser(app, client)


def _register(ctx):
    return "/account/register", {}


def _login(ctx):
    return "/account/login", {}


def _login_wrong_password(ctx):
    return "/account/login", {"email": ctx["resident"].email, "password": "Väärä-salasana-1"}


def _forgot(ctx):
    return "/account/password/forgot", {"email": "ei osoite"}


def _reset(ctx):
    from eraati.accounts import tokens

    with ctx["app"].test_request_context():
        token = tokens.make_reset_token(ctx["resident"].id, ctx["resident"].password_hash)
    return f"/account/password/reset/{token}", {"password": "lyhyt", "confirm": "muu"}


def _change_password(ctx):
    ctx["login_as"](ctx["resident"])
    return "/account/password", {}


def _profile(ctx):
    ctx["login_as"](ctx["resident"])
    return "/account/profile", {"display_name": "", "locale": "fi"}


def _delete_account(ctx):
    ctx["login_as"](ctx["resident"])
    return "/account/delete", {}


def _comment(ctx):
    ctx["login_as"](ctx["resident"])
    return topic_path(ctx["open_topic"], "/comments"), {"body": "  "}


def _anonymous_comment(ctx):
    topic = factories.make_topic(ctx["open_topic"].organisation, slug="avoin", allow_anonymous=True)
    ctx["db"].session.commit()
    return topic_path(topic, "/comments"), {"body": "", "nickname": ""}


def _edit_comment(ctx):
    comment = make_comment(ctx["open_topic"], ctx["resident"], age=timedelta(minutes=1))
    ctx["db"].session.commit()
    ctx["login_as"](ctx["resident"])
    return topic_path(ctx["open_topic"], f"/comments/{comment.id}/edit"), {"body": " "}


def _flag_comment(ctx):
    comment = make_comment(ctx["open_topic"], ctx["other_resident"])
    ctx["db"].session.commit()
    ctx["login_as"](ctx["resident"])
    return topic_path(ctx["open_topic"], f"/comments/{comment.id}/flag"), {"details": "x" * 501}


def _poll(ctx):
    ctx["login_as"](ctx["resident"])
    return topic_path(ctx["open_topic"], "/poll"), {}


FAILED_FORMS = {
    "register": _register,
    "log in": _login,
    "log in, wrong password": _login_wrong_password,
    "forgot password": _forgot,
    "reset password": _reset,
    "change password": _change_password,
    "profile": _profile,
    "delete account": _delete_account,
    "comment": _comment,
    "anonymous comment": _anonymous_comment,
    "edit comment": _edit_comment,
    "flag comment": _flag_comment,
    "poll": _poll,
}


@pytest.mark.parametrize(
    "form",
    FAILED_FORMS,
)
def test_failed_form_shows_an_error_summary_that_leads_to_the_fields(
    app, db, browser, login_as, resident, other_resident, open_topic, form
):
    ctx = {
        "app": app,
        "db": db,
        "login_as": login_as,
        "resident": resident,
        "other_resident": other_resident,
        "open_topic": open_topic,
    }
    url, data = FAILED_FORMS[form](ctx)
    response = browser.post(url, data=data)
    assert response.status_code == 422, form
    page = read(text(response))
    summaries = [e for e in page.elements if "error-summary" in e.attrs.get("class", "").split()]
    assert len(summaries) == 1, form
    summary = summaries[0]
    assert summary.attrs.get("role") == "alert"
    assert summary.text.strip().startswith(tr("Please correct the following", "fi"))
    items = [e for e in _descendants(summary) if e.tag == "li"]
    assert items, form
    ids = page.ids()
    links = [e for e in _descendants(summary) if e.tag == "a"]
    for link in links:
        target = link.attrs["href"].removeprefix("#")
        assert target in ids, (form, target)
    if form == "log in, wrong password":
        assert tr("Incorrect e-mail address or password.", "fi") in summary.text
        return
    assert links, form
    # Each field in the summary says why next to itself (aria-describedby, on the field or
    # on its group), and a single field is marked invalid.
    messages = {
        e.attrs["id"]
        for e in page.elements
        if "error-message" in e.attrs.get("class", "").split() and "id" in e.attrs
    }
    for link in links:
        target = link.attrs["href"].removeprefix("#")
        (field,) = [e for e in page.elements if e.attrs.get("id") == target]
        group = field if field.tag == "fieldset" else field.up("fieldset")
        described = " ".join(
            e.attrs.get("aria-describedby", "") for e in (field, group) if e is not None
        ).split()
        assert set(described) & messages, (form, target)
        if is_field(field) and field.attrs.get("type") not in ("radio", "checkbox"):
            assert field.attrs.get("aria-invalid") == "true", (form, target)
