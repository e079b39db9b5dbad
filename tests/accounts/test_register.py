"""Registration: the form, the verification mail, and no account enumeration."""

from __future__ import annotations

import re

import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.organisations.models import OrganisationKind
from eraati.permissions import can
from tests import factories
from tests.accounts.helpers import link_paths, logged_in_user_id, main_of, tr, without_csrf

GOOD_PASSWORD = "lumi-kettu-rautatie-9"


def _form(**overrides) -> dict:
    data = {
        "email": "Uusi.Asukas@Example.FI",
        "display_name": "Uuno Uusi",
        "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD,
        "home_organisation_id": "",
        "locale": "fi",
        "accept_terms": "y",
    }
    data.update(overrides)
    return data


def _users(db) -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.id)))


def test_registration_creates_unverified_account_and_logs_in(client, db, org, outbox):
    response = client.post(
        "/account/register", data=_form(home_organisation_id=str(org.id), locale="sv")
    )

    assert response.status_code == 200
    assert tr("Check your e-mail", "fi") in response.get_data(as_text=True)
    user = db.session.scalar(sa.select(User).where(User.email == "uusi.asukas@example.fi"))
    assert user is not None  # e-mail stored lower-case
    assert user.display_name == "Uuno Uusi"
    assert user.locale == "sv"
    assert user.home_organisation_id == org.id
    assert user.email_verified_at is None
    assert user.password_hash.startswith("$argon2id$")
    assert GOOD_PASSWORD not in user.password_hash
    # Logged in (reads and follows) but may not comment before verifying.
    assert logged_in_user_id(client) == user.get_id()
    assert client.get("/account/profile").status_code == 200
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

    assert response.status_code == 303
    assert response.headers["Location"] == "/account/profile"
    user = db.session.scalar(sa.select(User).where(User.email == "uusi.asukas@example.fi"))
    db.session.refresh(user)
    assert user.email_verified_at is not None
    assert can(user, "comment", open_topic)


def test_registering_a_taken_address_looks_the_same_and_tells_the_owner(app, db, resident, outbox):
    before = _users(db)
    new_client, taken_client = app.test_client(), app.test_client()

    new_page = new_client.post("/account/register", data=_form(email="someone.new@example.fi"))
    taken_page = taken_client.post(
        "/account/register", data=_form(email="ASUKAS@example.fi", display_name="Hyökkääjä")
    )

    assert new_page.status_code == taken_page.status_code == 200
    assert without_csrf(new_page.get_data(as_text=True)) == without_csrf(
        taken_page.get_data(as_text=True)
    )
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


def test_municipalities_are_listed_in_the_readers_language_and_order(client, db):
    for slug, fi, sv in [
        ("turku", "Turku", "Åbo"),
        ("vaasa", "Vaasa", "Vasa"),
        ("helsinki", "Helsinki", "Helsingfors"),
        ("aanekoski", "Äänekoski", None),
    ]:
        org = factories.make_org(slug, fi, languages="fi,sv")
        org.name_sv = sv
    factories.make_org("sote", "Ylä-Savon SOTE", kind=OrganisationKind.JOINT_AUTHORITY)
    db.session.commit()

    def options(lang: str) -> list[str]:
        client.post("/language", data={"lang": lang, "next": "/"})
        page = client.get("/account/register").get_data(as_text=True)
        select = re.search(r'<select[^>]*id="home_organisation_id".*?</select>', page, re.S)
        return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))[1:]

    assert options("fi") == ["Helsinki", "Turku", "Vaasa", "Äänekoski"]
    # Äänekoski has no Swedish name: its Finnish one is used; å sorts after z and before ä.
    assert options("sv") == ["Helsingfors", "Vasa", "Åbo", "Äänekoski"]


def test_language_defaults_to_the_current_ui_language(client):
    client.post("/language", data={"lang": "sv", "next": "/"})
    page = client.get("/account/register").get_data(as_text=True)
    assert '<option selected value="sv">Svenska</option>' in page


def test_unknown_municipality_or_language_is_refused(client, db):
    response = client.post("/account/register", data=_form(home_organisation_id="999", locale="de"))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert tr("Choose a municipality from the list.", "fi") in text
    assert tr("Choose a language from the list.", "fi") in text
    assert _users(db) == []


def test_registration_is_rate_limited_by_ip_address(app, db):
    for n in range(10):
        response = app.test_client().post(
            "/account/register", data=_form(email=f"asukas{n}@example.fi")
        )
        assert response.status_code == 200

    blocked = app.test_client().post("/account/register", data=_form(email="eleventh@example.fi"))

    assert blocked.status_code == 429
    assert len(_users(db)) == 10


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

    # The session was renewed at log-in; the tokens on the page belong to the new one, and
    # the language links need none.
    page = done.get_data(as_text=True)
    for token in re.findall(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page):
        response = client.post("/language", data={"lang": "sv", "next": "/", "csrf_token": token})
        assert response.status_code == 303
    assert '<a href="/account/register?lang=sv" hreflang="sv"' in page
    assert '<html lang="sv"' in client.get("/?lang=sv").get_data(as_text=True)
