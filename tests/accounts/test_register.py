"""Registration: the form, the verification mail, and no account enumeration."""

from __future__ import annotations

import json
import re
import threading

import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.organisations import municipalities
from eraati.permissions import can
from tests.accounts.helpers import link_paths, logged_in_user_id, main_of, tr, without_csrf

GOOD_PASSWORD = "lumi-kettu-rautatie-9"


def _form(**overrides) -> dict:
    data = {
        "email": "Uusi.Asukas@Example.FI",
        "display_name": "Uuno Uusi",
        "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD,
        "home_municipality_code": "",
        "locale": "fi",
        "accept_terms": "y",
    }
    data.update(overrides)
    return data


def _users(db) -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.id)))


def test_registration_creates_unverified_account_and_signs_in_nobody(client, db, org, outbox):
    response = client.post(
        "/account/register", data=_form(home_municipality_code="239", locale="sv")
    )

    assert response.status_code == 200
    assert tr("Check your e-mail", "fi") in response.get_data(as_text=True)
    user = db.session.scalar(sa.select(User).where(User.email == "uusi.asukas@example.fi"))
    assert user is not None  # e-mail stored lower-case
    assert user.display_name == "Uuno Uusi"
    assert user.locale == "sv"
    assert user.home_municipality_code == "239"  # Keitele
    assert user.email_verified_at is None
    assert user.password_hash.startswith("$argon2id$")
    assert GOOD_PASSWORD not in user.password_hash
    # Signed in only by the link in the e-mail (a taken address would not be).
    assert logged_in_user_id(client) is None
    assert client.get("/account/profile").status_code == 302
    assert can(user, "follow", None) and not can(user, "comment", None)


def test_verification_mail_is_in_chosen_language_and_its_link_verifies(
    client, db, open_topic, outbox
):
    client.post("/account/register", data=_form(locale="sv"))

    assert len(outbox) == 1
    message = outbox[0]
    assert message.to == ["uusi.asukas@example.fi"]
    swedish = tr("Confirm your e-mail address for eRaati", "sv")
    assert swedish != "Confirm your e-mail address for eRaati"  # the catalog has it
    assert message.subject == swedish
    assert tr("Hello %(name)s,", "sv", name="Uuno Uusi") in message.body
    (path,) = link_paths(message)
    assert path.startswith("/account/verify/")

    response = client.get(path)

    # Followed in the browser that registered: the address is confirmed and they are in.
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/profile"
    user = db.session.scalar(sa.select(User).where(User.email == "uusi.asukas@example.fi"))
    db.session.refresh(user)
    assert user.email_verified_at is not None
    assert logged_in_user_id(client) == user.get_id()
    assert can(user, "comment", open_topic)
    page = client.get("/account/profile").get_data(as_text=True)
    assert tr("Thank you! Your e-mail address is confirmed. You can now take part.", "sv") in page


def test_the_link_signs_in_only_the_browser_that_registered_and_only_once(app, db, outbox):
    registering, elsewhere = app.test_client(), app.test_client()
    registering.post("/account/register", data=_form())
    (path,) = link_paths(outbox[0])

    # Another browser (someone who registered another person's address and then got the
    # link, or the person on another device): confirmed, but the password signs in.
    first = elsewhere.get(path)
    assert first.headers["Location"] == "/account/login"
    assert logged_in_user_id(elsewhere) is None
    (user,) = _users(db)
    assert user.email_verified_at is not None
    # The registering browser afterwards: the link has been used, so it signs nobody in.
    again = registering.get(path)
    assert again.headers["Location"] == "/account/login"
    assert logged_in_user_id(registering) is None


def test_the_link_returns_to_the_topic_the_visitor_registered_from(client, db, open_topic, outbox):
    topic = "/keitele/kirjaston-aukioloajat"
    # The topic page's "Register" link carries the topic; the form sends it on.
    topic_page = client.get(topic).get_data(as_text=True)
    assert 'href="/account/register?next=/keitele/kirjaston-aukioloajat"' in topic_page
    form = client.get(f"/account/register?next={topic}").get_data(as_text=True)
    assert f'name="next" type="hidden" value="{topic}"' in form
    # So does the way to the log-in page and back.
    assert f'href="/account/login?next={topic}"' in form
    login_page = client.get(f"/account/login?next={topic}").get_data(as_text=True)
    assert f'href="/account/register?next={topic}"' in login_page

    client.post("/account/register", data=_form(next=topic))
    (path,) = link_paths(outbox[0])
    response = client.get(path)

    assert response.status_code == 303
    assert response.headers["Location"] == topic
    (user,) = _users(db)
    assert logged_in_user_id(client) == user.get_id()
    page = client.get(topic).get_data(as_text=True)
    assert tr("Thank you! Your e-mail address is confirmed. You can now take part.", "fi") in page
    assert 'name="body"' in page  # the comment form, where the visitor wanted to write


def test_a_next_that_leaves_the_site_is_ignored(app, db, outbox):
    for n, target in enumerate(
        ["https://evil.example/", "//evil.example/polku", "/\\evil.example", "javascript:x"]
    ):
        browser = app.test_client()
        browser.post("/account/register", data=_form(email=f"uusi{n}@example.fi", next=target))
        (path,) = link_paths(outbox[-1])
        response = browser.get(path)
        assert response.headers["Location"] == "/account/profile", target
        assert logged_in_user_id(browser) is not None


def test_next_does_not_outlive_the_sign_in(app, db, open_topic, outbox):
    """Another link followed later in the same browser (after logging out) is the plain
    confirmation: the stored place went with the session the sign-in renewed."""
    browser = app.test_client()
    browser.post("/account/register", data=_form(next="/keitele/kirjaston-aukioloajat"))
    (path,) = link_paths(outbox[0])
    assert browser.get(path).headers["Location"] == "/keitele/kirjaston-aukioloajat"
    with browser.session_transaction() as session:
        assert "registered_next" not in session and "registered" not in session


def _cookie_shapes(response) -> list[str]:
    """The Set-Cookie headers with their values blanked: names and attributes."""
    return sorted(
        re.sub(r"^([^=]+)=[^;]*", r"\1=", header)
        for header in response.headers.getlist("Set-Cookie")
    )


def _session_shape(client) -> dict[str, tuple[str, int]]:
    """What the session holds: each key with the type and length of its value."""
    with client.session_transaction() as session:
        return {key: (type(v).__name__, len(json.dumps(v))) for key, v in session.items()}


def test_registering_a_taken_address_looks_the_same_and_tells_the_owner(app, db, resident, outbox):
    before = _users(db)
    new_client, taken_client = app.test_client(), app.test_client()

    topic = "/keitele/kirjaston-aukioloajat"
    new_page = new_client.post(
        "/account/register", data=_form(email="someone.new@example.fi", next=topic)
    )
    taken_page = taken_client.post(
        "/account/register",
        data=_form(email="ASUKAS@example.fi", display_name="Hyökkääjä", next=topic),
    )

    assert new_page.status_code == taken_page.status_code == 200
    assert without_csrf(new_page.get_data(as_text=True)) == without_csrf(
        taken_page.get_data(as_text=True)
    )
    # The same cookies and the same session: nobody is signed in either way.
    assert _cookie_shapes(new_page) == _cookie_shapes(taken_page) != []
    assert _session_shape(new_client) == _session_shape(taken_client)
    assert logged_in_user_id(new_client) is None and logged_in_user_id(taken_client) is None
    assert new_client.get("/account/profile").status_code == 302
    # Exactly one new account, for the new address; the owner's account is untouched.
    after = _users(db)
    assert [u.email for u in after] == [u.email for u in before] + ["someone.new@example.fi"]
    db.session.refresh(resident)
    assert resident.display_name == "Aino Asukas"
    assert logged_in_user_id(taken_client) is None
    # The owner hears about the attempt, with links to log in and to reset the password.
    (to_owner,) = [m for m in outbox if m.to == ["asukas@example.fi"]]
    assert to_owner.subject == tr("Someone tried to register with your e-mail address", "fi")
    assert link_paths(to_owner) == ["/account/login", "/account/password/forgot"]


def test_invalid_registration_keeps_input_but_not_passwords(client, db, outbox):
    response = client.post(
        "/account/register",
        data=_form(password="lyhyt", confirm="eri", accept_terms=""),
    )

    assert response.status_code == 422
    page = main_of(response.get_data(as_text=True))
    assert 'value="uusi.asukas@example.fi"' in page
    assert 'value="Uuno Uusi"' in page
    assert "lyhyt" not in page and 'value="eri"' not in page
    assert tr("The password must be at least %(min)d characters long.", "fi", min=10) in page
    assert tr("The passwords are not the same. Type them again.", "fi") in page
    assert tr("You can register only if you accept the terms.", "fi") in page
    assert 'aria-invalid="true"' in page
    assert _users(db) == [] and outbox == []


def test_invalid_email_is_refused_with_a_translated_message(client, db):
    response = client.post("/account/register", data=_form(email="asukas(at)example.fi"))

    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert tr("Enter the e-mail address in the form name@example.fi.", "fi") in text
    assert _users(db) == []


def test_guessable_passwords_are_refused(client, db):
    message = tr(
        "This password is too easy to guess. Use a longer one, for example "
        "three or four words that have nothing to do with each other or with you.",
        "fi",
    )
    common = client.post(
        "/account/register", data=_form(password="qwertyuiop", confirm="qwertyuiop")
    )
    # Strong in general, weak when the attacker knows the person's name.
    own_name = client.post(
        "/account/register",
        data=_form(
            display_name="Ruusu Kuikkalampi", password="kuikkalampi1987", confirm="kuikkalampi1987"
        ),
    )

    assert common.status_code == own_name.status_code == 422
    assert message in common.get_data(as_text=True)
    assert message in own_name.get_data(as_text=True)
    assert _users(db) == []
    # Control: the same password with another name is accepted.
    ok = client.post(
        "/account/register",
        data=_form(display_name="Uuno Uusi", password="kuikkalampi1987", confirm="kuikkalampi1987"),
    )
    assert ok.status_code == 200 and len(_users(db)) == 1


def test_too_long_password_is_refused(client, db):
    long_password = "sana-" * 60  # 300 characters
    response = client.post(
        "/account/register", data=_form(password=long_password, confirm=long_password)
    )
    assert response.status_code == 422
    assert tr("The password can be at most %(max)d characters long.", "fi", max=256) in (
        response.get_data(as_text=True)
    )
    assert _users(db) == []


def test_registration_without_a_home_municipality_stores_none(client, db, outbox):
    response = client.post("/account/register", data=_form())
    assert response.status_code == 200
    (user,) = _users(db)
    assert user.home_municipality_code is None


def test_registration_says_why_the_home_municipality_is_asked(client):
    for lang in ("fi", "sv"):
        client.post("/language", data={"lang": lang, "next": "/"})
        page = client.get("/account/register").get_data(as_text=True)
        hint = tr(
            "You can leave this empty. If you choose it, your municipality can see how many "
            "of its own residents took part. It is never shown publicly.",
            lang,
        )
        assert f'<p class="hint" id="home_municipality_code-hint">{hint}</p>' in page
        assert 'aria-describedby="home_municipality_code-hint"' in page


def test_municipalities_are_listed_in_the_readers_language_and_order(client, db):
    """All the municipalities of the reference list, whether or not they are on eRaati."""

    def options(lang: str) -> list[str]:
        client.post("/language", data={"lang": lang, "next": "/"})
        page = client.get("/account/register").get_data(as_text=True)
        select = re.search(r'<select[^>]*id="home_municipality_code".*?</select>', page, re.S)
        return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))[1:-1]

    fi, sv = options("fi"), options("sv")
    assert len(fi) == len(sv) == len(municipalities.all_municipalities()) == 309
    assert fi[:2] == ["Akaa", "Alajärvi"] and fi[-2:] == ["Ähtäri", "Äänekoski"]
    assert fi.index("Turku") < fi.index("Vaasa") < fi.index("Äänekoski")
    # Äänekoski has no Swedish name: its Finnish one is used; å sorts after z and before ä.
    assert sv.index("Helsingfors") < sv.index("Vasa") < sv.index("Åbo") < sv.index("Äänekoski")


def test_language_defaults_to_the_current_ui_language(client):
    client.post("/language", data={"lang": "sv", "next": "/"})
    page = client.get("/account/register").get_data(as_text=True)
    assert '<option selected value="sv">Svenska</option>' in page


def test_unknown_municipality_or_language_is_refused(client, db):
    response = client.post(
        "/account/register", data=_form(home_municipality_code="999", locale="de")
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert tr("Choose a municipality from the list.", "fi") in text
    assert tr("Choose a language from the list.", "fi") in text
    assert _users(db) == []


def test_registration_is_rate_limited_by_ip_address(app, db, outbox):
    allowed = int(app.config["REGISTER_RATE_LIMIT"].split()[0])  # an hour, from one address
    for n in range(allowed):
        response = app.test_client().post(
            "/account/register", data=_form(email=f"asukas{n}@example.fi")
        )
        assert response.status_code == 200

    blocked = app.test_client().post("/account/register", data=_form(email="eleventh@example.fi"))

    assert blocked.status_code == 429
    assert 59 * 60 < int(blocked.headers["Retry-After"]) <= 60 * 60
    assert len(_users(db)) == allowed and len(outbox) == allowed
    # An invalid form is not counted, and is not refused: its errors come first.
    invalid = app.test_client().post("/account/register", data=_form(accept_terms=""))
    assert invalid.status_code == 422


def _refused_page(app, lang: str, **form) -> tuple[int, str, str]:
    browser = app.test_client()
    browser.post("/language", data={"lang": lang, "next": "/"})
    response = browser.post("/account/register", data=_form(locale=lang, **form))
    return response.status_code, response.headers.get("Retry-After", ""), response.text


def test_a_refused_registration_keeps_the_form_and_says_when_in_every_language(
    app, db, resident, outbox, rate_limit
):
    rate_limit("REGISTER_RATE_LIMIT", "1 per hour;100 per day")
    assert app.test_client().post("/account/register", data=_form()).status_code == 200
    del outbox[:]

    for lang in ("fi", "sv", "en"):
        status, retry_after, page = _refused_page(
            app, lang, email="toinen.asukas@example.fi", display_name="Toini Toinen"
        )
        assert status == 429 and 59 * 60 < int(retry_after) <= 60 * 60
        main = main_of(without_csrf(page))
        source = (
            "Many accounts have been registered from this internet connection in a short "
            "time. You can register %(wait)s. What you typed is kept below, but type your "
            "password again."
        )
        message = tr(source, lang, wait=tr("in %(num)d hour", lang, num=1))
        assert (message == source % {"wait": "in 1 hour"}) == (lang == "en")  # translated
        assert message in main, lang
        assert tr("Please wait a moment", lang) in main
        # What was typed is kept, the password is not.
        assert 'value="toinen.asukas@example.fi"' in main
        assert 'value="Toini Toinen"' in main
        assert f'<option selected value="{lang}">' in main
        assert GOOD_PASSWORD not in page
    assert [u.email for u in _users(db)] == [resident.email, "uusi.asukas@example.fi"]
    assert outbox == []


def test_a_refused_registration_looks_the_same_for_a_new_and_a_taken_address(
    app, db, resident, outbox, rate_limit
):
    rate_limit("REGISTER_RATE_LIMIT", "1 per hour;100 per day")
    assert app.test_client().post("/account/register", data=_form()).status_code == 200
    del outbox[:]

    new = _refused_page(app, "fi", email="ei.tilia@example.fi")
    taken = _refused_page(app, "fi", email="ASUKAS@example.fi")

    assert new[0] == taken[0] == 429
    assert abs(int(new[1]) - int(taken[1])) <= 1  # the same wait (the clock moved on)
    same_address = taken[2].replace(resident.email, "ei.tilia@example.fi")
    assert without_csrf(new[2]) == without_csrf(same_address)
    assert len(_users(db)) == 2 and outbox == []


def test_register_page_explains_stored_data(client):
    page = client.get("/account/register").get_data(as_text=True)
    assert page.count("<h1") == 1
    assert tr("What we store and why", "fi") in page
    assert "novalidate" in page
    assert 'autocomplete="new-password"' in page and 'autocomplete="email"' in page


def _csrf_token(html: str) -> str:
    field = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
    return re.search(r'value="([^"]+)"', field).group(1)


def test_forms_on_the_page_after_registering_still_work(client, db, csrf_enabled):
    form_page = client.get("/account/register").get_data(as_text=True)
    without_token = client.post("/account/register", data=_form())
    assert without_token.status_code == 400 and _users(db) == []

    done = client.post("/account/register", data=_form(csrf_token=_csrf_token(form_page)))
    assert done.status_code == 200 and len(_users(db)) == 1

    # The session was renewed after registering; the tokens on the page belong to the new one, and
    # the language links need none.
    page = done.get_data(as_text=True)
    for token in re.findall(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page):
        response = client.post("/language", data={"lang": "sv", "next": "/", "csrf_token": token})
        assert response.status_code == 303
    assert '<a href="/account/register?lang=sv" hreflang="sv"' in page
    assert '<html lang="sv"' in client.get("/?lang=sv").get_data(as_text=True)


# --- the same form sent twice ------------------------------------------------------------------


def _token(client) -> str:
    page = client.get("/account/register").get_data(as_text=True)
    return re.search(r'name="submission_token" type="hidden" value="([0-9a-f]{32})"', page).group(1)


def test_a_double_click_makes_one_account_and_one_mail(app, db, client, outbox):
    data = _form(submission_token=_token(client))

    first = client.post("/account/register", data=data)
    second = client.post("/account/register", data=data)  # the second click

    assert first.status_code == second.status_code == 200
    assert without_csrf(first.get_data(as_text=True)) == without_csrf(second.get_data(as_text=True))
    assert [u.email for u in _users(db)] == ["uusi.asukas@example.fi"]
    assert [m.subject for m in outbox] == [tr("Confirm your e-mail address for eRaati", "fi")]
    # Another form for the same address (another browser, another person) is an attempt.
    app.test_client().post("/account/register", data=_form(submission_token="a" * 32))
    assert outbox[-1].subject == tr("Someone tried to register with your e-mail address", "fi")


def test_two_identical_registrations_at_the_same_moment_make_one_account_and_one_mail(
    app, db, client, outbox
):
    data = _form(submission_token=_token(client))
    start = threading.Barrier(2)
    answers: list[int] = []

    def click() -> None:
        browser = app.test_client()
        start.wait()
        answers.append(browser.post("/account/register", data=data).status_code)

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join(timeout=60)

    assert answers == [200, 200]
    assert [u.email for u in _users(db)] == ["uusi.asukas@example.fi"]
    assert [m.to for m in outbox] == [["uusi.asukas@example.fi"]]
    assert outbox[0].subject == tr("Confirm your e-mail address for eRaati", "fi")
