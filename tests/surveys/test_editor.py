"""Staff write survey questions of every kind in the topic form (no JavaScript)."""

from __future__ import annotations

import pytest

from eraati.consultations.models import QuestionKind, Topic
from tests.manage.support import (
    count,
    field_error,
    form_values,
    input_value,
    text,
    topic_by_slug,
    topic_form,
)

NEW = "/staff/keitele/topics/new"


@pytest.fixture
def admin(login_as, org_admin):
    return login_as(org_admin)


def _survey(**overrides) -> dict[str, str]:
    return topic_form(
        **{
            "q0_kind": "open",
            "q0_text_fi": "Mitä muuta haluat sanoa?",
            "q0_max_length": "300",
            "q0_required": "",
            "q1_kind": "scale",
            "q1_text_fi": "Kuinka tyytyväinen olet?",
            "q1_low_fi": "Erittäin tyytymätön",
            "q1_high_fi": "Erittäin tyytyväinen",
            "q2_kind": "ranking",
            "q2_text_fi": "Mikä on tärkeintä?",
            "q2_options_fi": "Aamut\nIllat\nViikonloput",
            **overrides,
        }
    )


def test_every_kind_is_created_and_shown_again(browser, admin, org):
    response = browser.post(NEW, data=_survey())
    assert response.status_code == 303, field_error(text(response), "q0_kind")
    topic = topic_by_slug(org, "kirjaston-aukioloajat")
    open_q, scale, ranking = topic.questions
    assert (open_q.kind, open_q.required, open_q.max_length, open_q.options) == (
        QuestionKind.OPEN,
        False,
        300,
        [],
    )
    assert (scale.kind, scale.required) == (QuestionKind.SCALE, True)
    assert scale.scale_labels == {
        "low": {"fi": "Erittäin tyytymätön"},
        "high": {"fi": "Erittäin tyytyväinen"},
    }
    assert ranking.kind == QuestionKind.RANKING
    assert [o.texts["fi"] for o in ranking.options] == ["Aamut", "Illat", "Viikonloput"]

    edit = f"/staff/keitele/topics/{topic.id}/edit"
    page = text(browser.get(edit))
    assert input_value(page, "q0_max_length") == "300"
    assert input_value(page, "q1_low_fi") == "Erittäin tyytymätön"
    # Saved again as shown, nothing changes.
    values = form_values(page, edit)
    assert browser.post(edit, data=values).status_code == 303
    again = topic_by_slug(org, topic.slug)
    assert [(q.kind, q.required) for q in again.questions] == [
        (QuestionKind.OPEN, False),
        (QuestionKind.SCALE, True),
        (QuestionKind.RANKING, True),
    ]
    assert again.revision == topic.revision


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"q1_low_fi": ""}, "q1_low_fi"),
        ({"q1_options_fi": "A\nB"}, "q1_options_fi"),
        ({"q0_max_length": "0"}, "q0_max_length"),
        ({"q0_max_length": "9000"}, "q0_max_length"),
        ({"q0_max_length": "paljon"}, "q0_max_length"),
        ({"q2_options_fi": "A"}, "q2_options_fi"),
        ({"q2_options_fi": "\n".join("ABCDEFGH")}, "q2_options_fi"),  # 8 > 7
    ],
)
def test_bad_questions_are_refused_beside_the_field(browser, admin, org, overrides, field):
    response = browser.post(NEW, data=_survey(**overrides))
    assert response.status_code == 422
    assert field_error(text(response), field)
    assert count(Topic) == 0
