"""/staff/<org>/settings: names, languages, contact details, the flag threshold and the
retention time of personal data."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eraati.organisations import services
from eraati.organisations.models import Organisation
from tests.organisations.support import audit_rows, text
from tests.page_support import read

SETTINGS = "/staff/keitele/settings"


def _form(org, **changes) -> dict:
    data = {
        "name_fi": org.name_fi,
        "name_sv": org.name_sv or "",
        "name_en": org.name_en or "",
        "languages": org.language_list,
        "primary_language": org.primary_language,
        "contact_email": org.contact_email or "",
        "contact_phone": org.contact_phone or "",
        "website_url": org.website_url or "",
        "flag_threshold": str(org.flag_threshold),
        "retention_months": str(org.retention_months),
        "stamp": services.fingerprint(org, services.SETTINGS_FIELDS),
    }
    data.update(changes)
    return data


def _row(db, org) -> tuple:
    db.session.expire_all()
    o = db.session.get(Organisation, org.id)
    return (
        o.name_fi,
        o.name_sv,
        o.name_en,
        o.languages,
        o.contact_email,
        o.contact_phone,
        o.website_url,
        o.flag_threshold,
        o.retention_months,
    )


def _value(page, name):
    return next(e for e in page.find("input") if e.attrs.get("name") == name).attrs.get("value")


def test_the_form_shows_the_current_values(db, client, login_as, org, org_admin):
    org.flag_threshold = 7
    org.contact_email = "kirjaamo@keitele.fi"
    db.session.commit()
    login_as(org_admin)
    page = read(text(client.get(SETTINGS)))
    assert _value(page, "name_fi") == "Keitele"
    assert _value(page, "flag_threshold") == "7"
    assert _value(page, "contact_email") == "kirjaamo@keitele.fi"


def test_admin_saves_the_settings_and_the_change_is_audited(db, client, login_as, org, org_admin):
    login_as(org_admin)
    data = _form(
        org,
        name_sv="Keitele kommun",
        languages=["fi", "sv", "en"],
        primary_language="sv",
        contact_email="Kirjaamo@Keitele.fi",
        contact_phone="017 123 4567",
        website_url="https://www.keitele.fi",
        flag_threshold="5",
    )
    response = client.post(SETTINGS, data=data)
    assert response.status_code == 303
    assert _row(db, org) == (
        "Keitele",
        "Keitele kommun",
        org.name_en,
        "sv,fi,en",
        "kirjaamo@keitele.fi",
        "017 123 4567",
        "https://www.keitele.fi",
        5,
        24,
    )
    (event,) = audit_rows("organisation.edit")
    assert (event.organisation_id, event.actor_id) == (org.id, org_admin.id)
    assert event.details["flag_threshold"] == [3, 5]
    assert event.details["languages"] == ["fi", "sv,fi,en"]


def test_saving_unchanged_settings_records_nothing(db, client, login_as, org, org_admin):
    login_as(org_admin)
    assert client.post(SETTINGS, data=_form(org)).status_code == 303
    assert audit_rows() == []


@pytest.mark.parametrize(
    ("changes", "error_id"),
    [
        ({"name_fi": ""}, "name_fi-error"),
        ({"name_fi": "x" * 161}, "name_fi-error"),
        ({"flag_threshold": "0"}, "flag_threshold-error"),
        ({"flag_threshold": "51"}, "flag_threshold-error"),
        ({"flag_threshold": "kolme"}, "flag_threshold-error"),
        ({"flag_threshold": ""}, "flag_threshold-error"),
        ({"retention_months": "0"}, "retention_months-error"),
        ({"retention_months": "121"}, "retention_months-error"),
        ({"retention_months": "kaksi vuotta"}, "retention_months-error"),
        ({"retention_months": ""}, "retention_months-error"),
        ({"retention_months": "-3"}, "retention_months-error"),
        ({"languages": []}, "languages-error"),
        ({"languages": ["en"], "primary_language": "fi"}, "languages-error"),
        ({"languages": ["fi", "xx"]}, "languages-error"),
        ({"primary_language": "sv"}, "primary_language-error"),
        ({"primary_language": "en", "languages": ["fi", "en"]}, "primary_language-error"),
        ({"languages": ["fi", "sv"], "name_sv": ""}, "name_sv-error"),
        ({"website_url": "www.keitele.fi"}, "website_url-error"),
        ({"website_url": "javascript:alert(1)"}, "website_url-error"),
        ({"contact_email": "kirjaamo"}, "contact_email-error"),
        ({"contact_phone": "soita minulle"}, "contact_phone-error"),
        ({"embed_origins": "http://www.keitele.fi"}, "embed_origins-error"),
        ({"embed_origins": "https://www.keitele.fi/kuulemiset"}, "embed_origins-error"),
        ({"embed_origins": "www.keitele.fi"}, "embed_origins-error"),
        ({"embed_origins": "https://*.keitele.fi"}, "embed_origins-error"),
        ({"embed_origins": "https://www.keitele.fi?x=1"}, "embed_origins-error"),
        ({"embed_origins": "https://www.keitele.fi; script-src *"}, "embed_origins-error"),
        ({"embed_origins": "https://www.keitele.fi\njavascript:alert(1)"}, "embed_origins-error"),
        (
            {"embed_origins": "\n".join(f"https://s{i}.fi" for i in range(11))},
            "embed_origins-error",
        ),
        # Map tiles: https, one fixed host, {z}/{x}/{y}; nothing that could end a directive.
        ({"map_tile_url": "http://tile.openstreetmap.org/{z}/{x}/{y}.png"}, "map_tile_url-error"),
        ({"map_tile_url": "https://{s}.tile.osm.org/{z}/{x}/{y}.png"}, "map_tile_url-error"),
        ({"map_tile_url": "https://tile.openstreetmap.org/{z}/{x}.png"}, "map_tile_url-error"),
        ({"map_tile_url": "https://t.fi/{z}/{x}/{y}.png; img-src *"}, "map_tile_url-error"),
        ({"map_tile_url": "https://t.fi/{z}/{x}/{y}.png 'unsafe-inline'"}, "map_tile_url-error"),
        (
            {"map_tile_url": "https://t.fi/{z}/{x}/{y}", "map_attribution": ""},
            "map_attribution-error",
        ),
    ],
)
def test_bad_settings_keep_the_input_and_change_nothing(
    db, client, login_as, org, org_admin, changes, error_id
):
    login_as(org_admin)
    before = _row(db, org)
    data = _form(org, name_en="Kirjoitettu nimi", **changes)
    response = client.post(SETTINGS, data=data)
    assert response.status_code == 422
    page = read(text(response))
    assert error_id in page.ids()
    assert _value(page, "name_en") == "Kirjoitettu nimi"
    assert 'id="error-summary"' in text(response)
    assert _row(db, org) == before
    assert audit_rows() == []


def test_the_error_is_translated(db, client, login_as, org, org_admin):
    login_as(org_admin)
    with client.session_transaction() as session:
        session["lang"] = "sv"
    response = client.post(SETTINGS, data=_form(org, flag_threshold="0"))
    from tests.accounts.helpers import tr

    swedish = tr("Enter a whole number from 1 to 50.", "sv")
    assert swedish != "Enter a whole number from 1 to 50."
    assert swedish in text(response)


def test_a_stale_form_does_not_overwrite_a_newer_change(db, client, login_as, org, org_admin):
    login_as(org_admin)
    old = _form(org, contact_phone="017 111 1111")
    services.update_organisation(org, {"contact_phone": "017 999 9999"})
    db.session.commit()
    response = client.post(SETTINGS, data=old)
    assert response.status_code == 409
    page = read(text(response))
    assert "stale" in page.ids()
    assert _value(page, "contact_phone") == "017 111 1111"  # what this user typed
    assert _row(db, org)[5] == "017 999 9999"
    # The form now carries the new stamp: saving again is a deliberate choice.
    again = dict(old, stamp=_value(page, "stamp"))
    assert client.post(SETTINGS, data=again).status_code == 303
    assert _row(db, org)[5] == "017 111 1111"


def test_a_form_without_a_stamp_does_not_crash(db, client, login_as, org, org_admin):
    login_as(org_admin)
    data = _form(org, flag_threshold="9")
    del data["stamp"]
    assert client.post(SETTINGS, data=data).status_code == 409
    assert _row(db, org)[7] == 3


def test_the_threshold_bounds_are_accepted(db, client, login_as, org, org_admin):
    login_as(org_admin)
    for value in (1, 50):
        db.session.expire_all()
        current = db.session.get(Organisation, org.id)
        assert (
            client.post(SETTINGS, data=_form(current, flag_threshold=str(value))).status_code == 303
        )
        assert db.session.scalar(sa.select(Organisation.flag_threshold)) == value


def test_names_in_exports_is_an_audited_setting(db, client, login_as, org, org_admin):
    login_as(org_admin)
    assert org.names_in_exports is False
    response = client.post(SETTINGS, data=_form(org, names_in_exports="y"))
    assert response.status_code == 303
    db.session.refresh(org)
    assert org.names_in_exports is True
    (event,) = audit_rows("organisation.edit")
    assert event.details["names_in_exports"] == [False, True]
    # An unticked box turns it off again.
    client.post(SETTINGS, data=_form(org))
    db.session.refresh(org)
    assert org.names_in_exports is False


def test_the_retention_time_is_shown_saved_and_audited(db, client, login_as, org, org_admin):
    login_as(org_admin)
    page = read(text(client.get(SETTINGS)))
    assert _value(page, "retention_months") == "24"  # the default
    assert "retention_months-hint" in text(client.get(SETTINGS))
    response = client.post(SETTINGS, data=_form(org, retention_months="36"))
    assert response.status_code == 303
    assert _row(db, org)[8] == 36
    (event,) = audit_rows("organisation.edit")
    assert event.details == {"retention_months": [24, 36]}
    for value in (1, 120):  # the bounds
        db.session.expire_all()
        current = db.session.get(Organisation, org.id)
        data = _form(current, retention_months=str(value))
        assert client.post(SETTINGS, data=data).status_code == 303
        assert _row(db, org)[8] == value


def test_a_bad_retention_time_keeps_what_was_typed_with_a_translated_error(
    db, client, login_as, org, org_admin
):
    from tests.accounts.helpers import tr

    login_as(org_admin)
    with client.session_transaction() as session:
        session["lang"] = "sv"
    response = client.post(SETTINGS, data=_form(org, retention_months="kaksi vuotta"))
    assert response.status_code == 422
    page = read(text(response))
    assert _value(page, "retention_months") == "kaksi vuotta"
    message = tr("Enter a whole number of months from 1 to %(max)d.", "sv") % {"max": 120}
    assert "120" in message and message in text(response)
    assert 'aria-describedby="retention_months-hint retention_months-error"' in text(response)
    assert _row(db, org)[8] == 24


def test_the_database_refuses_a_retention_time_out_of_range(db, org):
    from sqlalchemy.exc import IntegrityError

    org.retention_months = 0
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_showing_opinion_groups_with_the_results_is_an_audited_setting(
    db, client, login_as, org, org_admin
):
    """The organisation chooses whether the public results page shows the opinion groups
    (issue 18); off unless an admin ticks it, and the audit log records the change."""
    login_as(org_admin)
    assert org.opinion_groups_public is False
    page = client.get(SETTINGS).get_data(as_text=True)
    assert 'name="opinion_groups_public"' in page
    response = client.post(SETTINGS, data=_form(org, opinion_groups_public="y"))
    assert response.status_code == 303
    db.session.refresh(org)
    assert org.opinion_groups_public is True
    (event,) = audit_rows("organisation.edit")
    assert event.details["opinion_groups_public"] == [False, True]
    client.post(SETTINGS, data=_form(org))
    db.session.refresh(org)
    assert org.opinion_groups_public is False


def test_admin_sets_the_sites_that_may_show_the_card(db, client, login_as, org, org_admin):
    login_as(org_admin)
    typed = "https://www.Keitele.fi/\r\n\r\n  https://kirjasto.keitele.fi:8443  \nhttps://www.keitele.fi"
    response = client.post(SETTINGS, data=_form(org, embed_origins=typed))
    assert response.status_code == 303
    db.session.expire_all()
    assert org.embed_origin_list == ["https://www.keitele.fi", "https://kirjasto.keitele.fi:8443"]
    (event,) = audit_rows("organisation.edit")
    assert event.details["embed_origins"][0] is None
    page = text(client.get(SETTINGS))
    assert "https://www.keitele.fi\nhttps://kirjasto.keitele.fi:8443</textarea>" in page
    assert "/embed/keitele" in page  # the snippet to copy
    # Emptied: no site may frame the card.
    assert client.post(SETTINGS, data=_form(org, embed_origins="")).status_code == 303
    db.session.expire_all()
    assert org.embed_origins is None and org.embed_origin_list == []


def test_a_bad_site_is_named_in_the_error_in_the_pages_language(
    db, client, login_as, org, org_admin
):
    login_as(org_admin)
    typed = "https://www.keitele.fi\nhttp://vanha.keitele.fi"
    response = client.post(SETTINGS + "?lang=sv", data=_form(org, embed_origins=typed))
    assert response.status_code == 422
    page = text(response)
    assert "”http://vanha.keitele.fi” är inte en webbplatsadress" in page
    assert "https://www.keitele.fi\nhttp://vanha.keitele.fi</textarea>" in page  # kept
    db.session.expire_all()
    assert org.embed_origins is None
