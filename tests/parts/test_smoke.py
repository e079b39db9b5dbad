from tests.parts.support import comment_on, make_parts


def test_smoke(app, db, client, open_topic, resident, login_as):
    parts = make_parts(open_topic, 3)
    comment_on(open_topic, parts[1], resident, paragraph=2, quote="Toinen kappale kertoo tavoitteen.")
    db.session.commit()
    login_as(resident)
    r = client.get(f"/{open_topic.organisation.slug}/{open_topic.slug}/parts/2?paragraph=3")
    print(r.get_data(as_text=True))
    assert r.status_code == 200
    r = client.get(f"/{open_topic.organisation.slug}/{open_topic.slug}")
    assert r.status_code == 200
    print(r.get_data(as_text=True)[-6000:])
