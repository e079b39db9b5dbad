"""The resident's home municipality (users.home_municipality_code) on the profile page."""

from __future__ import annotations

DETAILS = {"display_name": "Aino", "locale": "fi"}


def test_the_profile_offers_every_municipality_other_and_not_told(client, resident, login_as):
    login_as(resident)
    page = client.get("/account/profile?lang=sv").get_data(as_text=True)
    assert 'name="home_municipality_code"' in page
    assert page.index("Idensalmi") < page.index("Vörå") < page.index("Åbo")
    assert '<option value="140">Idensalmi</option>' in page
    assert '<option value="478">Mariehamn</option>' in page
    assert 'value="other"' in page
    assert '<option selected value="">' in page  # not told, chosen by default


def test_a_municipality_is_saved_changed_and_removed(client, db, resident, login_as):
    login_as(resident)
    assert client.post("/account/profile", data={**DETAILS, "home_municipality_code": "925"})
    db.session.refresh(resident)
    assert resident.home_municipality_code == "925"
    page = client.get("/account/profile?lang=fi").get_data(as_text=True)
    assert '<option selected value="925">Vieremä</option>' in page
    data = client.get("/account/data.json").get_json()["profile"]
    assert data["home_municipality_code"] == "925"
    assert data["home_municipality_name"] == "Vieremä"

    client.post("/account/profile", data={**DETAILS, "home_municipality_code": "other"})
    db.session.refresh(resident)
    assert resident.home_municipality_code == "other"
    client.post("/account/profile", data={**DETAILS, "home_municipality_code": ""})
    db.session.refresh(resident)
    assert resident.home_municipality_code is None
    client.post("/account/profile", data={**DETAILS, "home_municipality_code": "140"})
    client.post("/account/profile", data=DETAILS)  # a form without the field keeps it
    db.session.refresh(resident)
    assert resident.home_municipality_code == "140"


def test_an_unknown_code_is_refused_beside_the_field_with_the_rest_kept(
    client, db, resident, login_as
):
    login_as(resident)
    for bad in ("099", "14", "<script>", "Iisalmi"):
        answer = client.post(
            "/account/profile",
            data={**DETAILS, "display_name": "Aino Uusi", "home_municipality_code": bad},
        )
        assert answer.status_code == 422, bad
        page = answer.get_data(as_text=True)
        assert 'id="home_municipality_code-error"' in page
        assert 'value="Aino Uusi"' in page  # what was typed is kept
        db.session.refresh(resident)
        assert resident.home_municipality_code is None
        assert resident.display_name == "Aino Asukas"  # nothing half-written
