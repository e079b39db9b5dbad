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


# --- asked beside a joint authority's topic ----------------------------------------------


def _sote_topic():
    from eraati.extensions import db
    from eraati.organisations import services
    from eraati.organisations.models import OrganisationKind
    from tests import factories

    org = factories.make_org("ylasavon-sote", "Ylä-Savon SOTE",
                             kind=OrganisationKind.JOINT_AUTHORITY)  # fmt: skip
    services.set_member_codes(org, ["140", "925"])
    topic = factories.make_topic(org, slug="sote-aihe", stances_enabled=True)
    db.session.commit()
    return topic


def test_a_joint_authority_topic_offers_its_members_and_other(client, db, resident, login_as):
    topic = _sote_topic()
    login_as(resident)
    url = f"/ylasavon-sote/{topic.slug}?lang=fi"
    page = client.get(url).get_data(as_text=True)
    assert 'id="home-municipality"' in page
    form = page.split('id="home-municipality"', 1)[1].split("</form>", 1)[0]
    assert '<option value="140">Iisalmi</option>' in form
    assert '<option value="925">Vieremä</option>' in form
    assert 'value="other"' in form and 'value="478"' not in form
    assert "required" not in form  # never required

    answer = client.post(
        "/account/home-municipality",
        data={"home_municipality_code": "925", "next": f"/ylasavon-sote/{topic.slug}"},
    )
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"/ylasavon-sote/{topic.slug}")
    db.session.refresh(resident)
    assert resident.home_municipality_code == "925"
    assert 'id="home-municipality"' not in client.get(url).get_data(as_text=True)


def test_the_offer_refuses_unknown_codes_and_an_empty_answer_changes_nothing(
    client, db, resident, login_as
):
    _sote_topic()
    login_as(resident)
    for bad in ("999", "x"):
        client.post("/account/home-municipality", data={"home_municipality_code": bad})
        db.session.refresh(resident)
        assert resident.home_municipality_code is None
    client.post("/account/home-municipality", data={"home_municipality_code": ""})
    db.session.refresh(resident)
    assert resident.home_municipality_code is None
    answer = client.post(
        "/account/home-municipality",
        data={"home_municipality_code": "140", "next": "https://evil.example/"},
    )
    assert "evil.example" not in answer.headers["Location"]


def test_no_offer_on_a_municipality_topic_or_when_told(client, db, resident, login_as, open_topic):
    login_as(resident)
    page = client.get(f"/{open_topic.organisation.slug}/{open_topic.slug}").get_data(as_text=True)
    assert 'id="home-municipality"' not in page
    topic = _sote_topic()
    resident.home_municipality_code = "other"
    db.session.commit()
    page = client.get(f"/ylasavon-sote/{topic.slug}").get_data(as_text=True)
    assert 'id="home-municipality"' not in page


def test_no_offer_where_the_survey_asks_the_home_municipality(client, db, resident, login_as):
    """One question, not two: a survey with the home municipality among its background
    questions asks it in its own form (prefilled from the account)."""
    topic = _sote_topic()
    topic.background_questions = ["municipality"]
    db.session.commit()
    login_as(resident)
    page = client.get(f"/ylasavon-sote/{topic.slug}").get_data(as_text=True)
    assert 'id="home-municipality"' not in page
    topic.background_questions = ["age"]
    db.session.commit()
    page = client.get(f"/ylasavon-sote/{topic.slug}").get_data(as_text=True)
    assert 'id="home-municipality"' in page
