"""The person's data download says which part of a draft, and which paragraph, each of
their comments is on, with the paragraph as they quoted it (issue 20 A)."""

from __future__ import annotations

from tests.consultations.topic_support import make_comment
from tests.parts.support import make_parts


def test_the_download_gives_each_comments_part_paragraph_and_quote(
    client, db, login_as, resident, bilingual_topic
):
    parts = make_parts(bilingual_topic, 2, sv=True)
    make_comment(bilingual_topic, resident, "Kappaleesta", part_id=parts[1].id, paragraph=2,
                 paragraph_quote="Toinen kappale kertoo tavoitteen.")  # fmt: skip
    make_comment(bilingual_topic, resident, "Osasta", part_id=parts[0].id)
    make_comment(bilingual_topic, resident, "Koko luonnoksesta")
    db.session.commit()
    login_as(resident)
    comments = {c["body"]: c for c in client.get("/account/data.json").get_json()["comments"]}
    # The title in the topic's primary language (Finnish), as the paragraph is numbered.
    assert comments["Kappaleesta"]["part"] == {"number": 2, "title": "Osa 2"}
    assert comments["Kappaleesta"]["paragraph"] == 2
    assert comments["Kappaleesta"]["paragraph_quote"] == "Toinen kappale kertoo tavoitteen."
    assert comments["Osasta"]["part"] == {"number": 1, "title": "Osa 1"}
    assert comments["Osasta"]["paragraph"] is None
    whole = comments["Koko luonnoksesta"]
    assert (whole["part"], whole["paragraph"], whole["paragraph_quote"]) == (None, None, None)
