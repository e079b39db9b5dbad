"""The topic form's reminder setting: how many days before closing the followers who
chose reminders are told (``Topic.reminder_days``; 3 unless changed, 0: none)."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import tr
from tests.manage.support import field_error, form_values, input_value, text, topic_by_slug
from tests.manage.support import topic_form as _topic_form


def _edit(topic) -> str:
    return f"/staff/keitele/topics/{topic.id}/edit"


@pytest.fixture
def admin(login_as, org_admin):
    return login_as(org_admin)


def test_reminder_days_default_to_3_and_are_saved_from_the_form(browser, admin, org, open_topic):
    assert open_topic.reminder_days == 3
    page = text(browser.get(_edit(open_topic)))
    assert input_value(page, "reminder_days") == "3"
    data = _topic_form(slug=open_topic.slug, revision="1", title_fi="Aihe", reminder_days="7")
    assert browser.post(_edit(open_topic), data=data).status_code == 303
    assert topic_by_slug(org, open_topic.slug).reminder_days == 7
    values = form_values(text(browser.get(_edit(open_topic))), _edit(open_topic))
    assert values["reminder_days"] == "7"
    off = _topic_form(slug=open_topic.slug, revision="2", title_fi="Aihe", reminder_days="0")
    assert browser.post(_edit(open_topic), data=off).status_code == 303
    assert topic_by_slug(org, open_topic.slug).reminder_days == 0


@pytest.mark.parametrize("typed", ["kolme", "-1", "31", "2.5", ""])
def test_a_bad_number_of_days_is_refused_next_to_the_field_and_kept(
    browser, admin, org, open_topic, typed
):
    data = _topic_form(slug=open_topic.slug, revision="1", title_fi="Uusi", reminder_days=typed)
    response = browser.post(_edit(open_topic), data=data)
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "reminder_days") == tr(
        "Enter a whole number of days from 0 to %(max)d (0: no reminder).", "fi", max=30
    )
    assert input_value(page, "reminder_days") == typed
    topic = topic_by_slug(org, open_topic.slug)
    assert (topic.reminder_days, topic.revision, topic.text("fi").title) == (
        3,
        1,
        "Kirjaston aukioloajat",
    )
