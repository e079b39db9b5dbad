"""The moderation queue: tabs, filters, pages, bulk acts, and its cost in SQL queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from eraati.consultations import services as comment_services
from eraati.consultations.models import CommentSource, CommentStatus, FlagReason
from eraati.core.time import utcnow
from eraati.moderation import services
from tests import factories
from tests.moderation.support import (
    add_comment,
    assert_counters_exact,
    audit_rows,
    counters,
    flashes,
    fresh,
    main_of,
    text,
)

BASE = "/staff/keitele/moderation"


def _items(html: str) -> list[int]:
    """The comment ids listed, in order."""
    return [int(i) for i in re.findall(r'name="ids" value="(\d+)"', html)]


@pytest.fixture
def setting(db, org, other_org, open_topic, resident, other_resident):
    """Comments in every state on two topics, and a waiting one in another organisation."""
    now = utcnow()
    second = factories.make_topic(org, slug="toinen", title="Toinen aihe")
    c = {
        "old_pending": add_comment(
            open_topic,
            None,
            "Vanha odottava",
            nickname="Mökki",
            status=CommentStatus.PENDING,
            created_at=now - timedelta(days=2),
        ),
        "new_pending": add_comment(
            second,
            resident,
            "Uusi odottava",
            status=CommentStatus.PENDING,
            created_at=now - timedelta(hours=1),
        ),
        "visible": add_comment(open_topic, resident, "Näkyvä", created_at=now - timedelta(hours=5)),
        "paper": add_comment(
            open_topic,
            None,
            "Paperilta",
            source=CommentSource.PAPER,
            created_at=now - timedelta(hours=4),
        ),
        "hidden": add_comment(
            second,
            other_resident,
            "Piilotettu",
            status=CommentStatus.HIDDEN,
            hidden_reason="Asiaton",
            created_at=now - timedelta(hours=3),
        ),
        "reported": add_comment(
            open_topic, other_resident, "Raportoitu", created_at=now - timedelta(hours=2)
        ),
    }
    other_topic = factories.make_topic(other_org, slug="muualla")
    c["elsewhere"] = add_comment(other_topic, resident, "Muualla", status=CommentStatus.PENDING)
    db.session.commit()
    comment_services.flag_comment(c["reported"], resident, FlagReason.SPAM)
    comment_services.flag_comment(c["reported"], factories.make_user(), FlagReason.SPAM)
    comment_services.flag_comment(c["visible"], other_resident, FlagReason.INSULTING)
    db.session.commit()
    c["second"] = second
    return c


def test_waiting_tab_lists_this_organisations_waiting_comments_oldest_first(
    browser, login_as, moderator, setting
):
    login_as(moderator)
    page = text(browser.get(BASE))
    assert _items(page) == [setting["old_pending"].id, setting["new_pending"].id]
    assert "Muualla" not in page
    assert "Mökki" in page and "(not registered)" in page  # the nickname of an anonymous writer
    assert "Toinen aihe" in page and "Kirjaston aukioloajat" in page
    tabs = re.search(r'<nav class="mod-tabs".*?</nav>', page, re.S).group(0)
    assert re.search(r"Waiting for review <span class=\"badge\">2</span>", tabs)
    assert re.search(r"Reported <span class=\"badge\">2</span>", tabs)


def test_reported_tab_lists_unchecked_reports_with_reasons(
    db, browser, login_as, moderator, setting
):
    login_as(moderator)
    page = text(browser.get(f"{BASE}?tab=flagged"))
    assert _items(page) == [setting["reported"].id, setting["visible"].id]  # newest first
    assert "Spam or advertising (2)" in page
    assert "Insulting or inappropriate (1)" in page

    services.approve_comment(fresh(setting["visible"]), moderator)  # "keep visible"
    db.session.commit()
    assert _items(text(browser.get(f"{BASE}?tab=flagged"))) == [setting["reported"].id]
    comment_services.flag_comment(
        fresh(setting["visible"]),
        factories.make_user(),
        FlagReason.OTHER,
        now=utcnow() + timedelta(seconds=1),
    )
    db.session.commit()
    assert setting["visible"].id in _items(text(browser.get(f"{BASE}?tab=flagged")))


def test_all_comments_tab_newest_first_with_every_status(browser, login_as, moderator, setting):
    login_as(moderator)
    page = text(browser.get(f"{BASE}?tab=recent"))
    assert _items(page) == [
        setting["new_pending"].id,
        setting["reported"].id,
        setting["hidden"].id,
        setting["paper"].id,
        setting["visible"].id,
        setting["old_pending"].id,
    ]
    assert "Feedback given on paper" in page
    assert "Hidden by the moderator" in page and "Asiaton" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tab=recent&status=hidden", ["hidden"]),
        ("tab=recent&status=visible", ["reported", "paper", "visible"]),
        ("tab=recent&source=paper", ["paper"]),
        ("tab=recent&topic={second}", ["new_pending", "hidden"]),
        ("tab=recent&topic={second}&status=hidden", ["hidden"]),
        ("topic={second}", ["new_pending"]),
        ("tab=flagged&source=web&status=visible", ["reported", "visible"]),
        ("tab=nonsense&status=nonsense&source=nonsense", ["old_pending", "new_pending"]),
    ],
)
def test_filters(browser, login_as, moderator, setting, query, expected):
    login_as(moderator)
    response = browser.get(f"{BASE}?{query.format(second=setting['second'].id)}")
    assert response.status_code == 200
    assert _items(text(response)) == [setting[name].id for name in expected]


@pytest.mark.parametrize("topic", ["{elsewhere}", "987654", "abc"])
def test_a_topic_that_is_not_this_organisations_is_not_found(
    browser, login_as, moderator, setting, topic
):
    login_as(moderator)
    value = topic.format(elsewhere=setting["elsewhere"].topic_id)
    assert browser.get(f"{BASE}?topic={value}").status_code == 404


def test_filters_are_kept_in_the_form_and_tabs(browser, login_as, moderator, setting):
    login_as(moderator)
    second = setting["second"].id
    page = text(browser.get(f"{BASE}?tab=recent&topic={second}&source=web"))
    assert f'<option selected value="{second}">' in page
    assert '<option selected value="web">' in page
    assert f'href="/staff/keitele/moderation?topic={second}&amp;source=web&amp;tab=flagged"' in page


def test_pages_continue_where_the_last_one_ended(app, db, browser, login_as, moderator, open_topic):
    app.config["MODERATION_PER_PAGE"] = 3
    try:
        now = utcnow()
        made = [
            add_comment(
                open_topic, None, f"K{i}", nickname="N", created_at=now - timedelta(minutes=i)
            )
            for i in range(8)
        ]
        db.session.commit()
        login_as(moderator)
        seen, url = [], f"{BASE}?tab=recent"
        for _ in range(5):
            page = text(browser.get(url))
            seen += _items(page)
            match = re.search(r'<a href="([^"]+)" rel="next">', page)
            if not match:
                break
            url = match.group(1).replace("&amp;", "&")
        assert seen == [c.id for c in made]  # newest first, none twice, none missed
        # And back: the previous page of the last one.
        match = re.search(r'<a href="([^"]+)" rel="prev">', page)
        previous = text(browser.get(match.group(1).replace("&amp;", "&")))
        assert _items(previous) == [c.id for c in made[3:6]]
        assert browser.get(f"{BASE}?tab=recent&after=garbage").status_code == 200
    finally:
        app.config.pop("MODERATION_PER_PAGE")


def test_the_queue_costs_the_same_for_2_and_30_comments(
    db, browser, login_as, moderator, open_topic, resident, other_resident, reasons
):
    second = factories.make_topic(open_topic.organisation, slug="toinen")
    reporters = [factories.make_user() for _ in range(3)]

    def add(n):
        for i in range(n):
            topic = open_topic if i % 2 else second
            status = [CommentStatus.VISIBLE, CommentStatus.PENDING, CommentStatus.HIDDEN][i % 3]
            writer = [resident, other_resident, None][i % 3]
            comment = add_comment(
                topic,
                writer,
                f"Kommentti {i}",
                status=status,
                nickname=None if writer else "N",
                hidden_reason="Syy" if i % 3 == 2 else None,
            )
            if status == CommentStatus.VISIBLE:
                for person in reporters[: 1 + i % 2]:
                    comment_services.flag_comment(comment, person, FlagReason.SPAM)
        db.session.commit()

    login_as(moderator)
    add(2)
    browser.get(f"{BASE}?tab=recent")
    few = browser.queries
    assert len(_items(text(browser.get(f"{BASE}?tab=recent")))) == 2
    add(28)
    many_page = text(browser.get(f"{BASE}?tab=recent"))
    many = browser.queries
    assert len(_items(many_page)) == 30
    assert few == many
    assert many <= 12, many


# --- bulk ------------------------------------------------------------------------------------


def test_bulk_approve(db, browser, login_as, moderator, open_topic, setting):
    login_as(moderator)
    ids = [setting["old_pending"].id, setting["visible"].id]
    response = browser.post(
        f"{BASE}/bulk?tab=recent&source=web",
        data={"ids": [str(i) for i in ids], "action": "approve"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}?tab=recent&source=web"
    assert fresh(setting["old_pending"]).status == CommentStatus.VISIBLE
    assert fresh(setting["visible"]).reviewed_by_id == moderator.id
    assert sorted(r.target_id for r in audit_rows("comment.approve")) == sorted(ids)
    assert_counters_exact()
    assert "2 comments approved." in flashes(text(browser.get(BASE)))


def test_bulk_hide_with_a_reason_mails_each_writer_in_their_language(
    db, browser, login_as, moderator, setting, reasons, resident, other_resident, outbox
):
    other_resident.locale = "en"
    db.session.commit()
    login_as(moderator)
    ids = [setting["new_pending"].id, setting["reported"].id, setting["hidden"].id]
    response = browser.post(
        f"{BASE}/bulk",
        data={
            "ids": [str(i) for i in ids],
            "action": "hide",
            "reason": str(reasons[2].id),
            "details": "Mainos",
        },
    )
    assert response.status_code == 303
    for name in ("new_pending", "reported"):
        hidden = fresh(setting[name])
        assert hidden.status == CommentStatus.HIDDEN
        assert hidden.hidden_reason == "Mainonta tai roskaviesti: Mainos"
    assert fresh(setting["hidden"]).hidden_reason == "Asiaton"  # already hidden: left alone
    assert len(audit_rows("comment.hide")) == 2
    assert_counters_exact()
    assert counters(setting["second"]) == (0, 2)
    bodies = {m.to[0]: m.body for m in outbox}
    assert set(bodies) == {"asukas@example.fi", "toinen@example.fi"}
    assert "Advertising or spam: Mainos" in bodies["toinen@example.fi"]
    assert "Mainonta tai roskaviesti: Mainos" in bodies["asukas@example.fi"]
    messages = flashes(text(browser.get(BASE)))
    assert "2 comments hidden." in messages
    assert "1 comment was left as it was" in messages


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "approve"}, "Select at least one comment."),
        (
            {"ids": ["{a}", "{b}"], "action": "hide", "details": "Oma teksti"},
            "Choose a reason for hiding.",
        ),
        ({"ids": ["{a}"], "details": "Oma teksti"}, "Choose what to do."),
        ({"ids": ["{a}"], "action": "delete"}, "Choose what to do."),
        ({"ids": ["{a}", "x1"], "action": "approve"}, "The selection was not understood."),
        (
            {"ids": ["{a}"], "action": "hide", "reason": "{foreign}"},
            "Choose one of the reasons in the list.",
        ),
    ],
)
def test_bad_bulk_input_shows_errors_keeps_the_choices_and_writes_nothing(
    db, browser, login_as, moderator, setting, reasons, outbox, other_org, data, message
):
    from eraati.moderation.reasons import create_default_reasons

    foreign = create_default_reasons(other_org)[0]
    db.session.commit()
    login_as(moderator)
    values = {
        "a": setting["old_pending"].id,
        "b": setting["new_pending"].id,
        "foreign": foreign.id,
    }
    payload = {
        k: [v.format(**values) for v in vs] if isinstance(vs, list) else vs.format(**values)
        for k, vs in data.items()
    }
    response = browser.post(f"{BASE}/bulk", data=payload)
    assert response.status_code == 422
    page = main_of(text(response))
    assert message in page
    assert 'class="error-summary"' in page
    if "details" in payload:
        assert payload["details"] in page
    if payload.get("ids") and "x1" not in payload["ids"]:
        for comment_id in payload["ids"]:
            assert f'value="{comment_id}" id="select-{comment_id}" checked' in page
    assert fresh(setting["old_pending"]).status == CommentStatus.PENDING
    assert fresh(setting["new_pending"]).status == CommentStatus.PENDING
    assert audit_rows() == [] and outbox == []


def test_single_approve_from_the_list_returns_to_it(db, browser, login_as, moderator, setting):
    login_as(moderator)
    page = text(browser.get(f"{BASE}?tab=recent"))
    comment_id = setting["old_pending"].id
    form = re.search(rf'<form method="post" id="approve-{comment_id}".*?</form>', page, re.S)
    assert form is not None
    assert f'form="approve-{comment_id}"' in page  # the button in the list belongs to it
    action = re.search(r'action="([^"]+)"', form.group(0)).group(1)
    back = re.search(r'name="next" value="([^"]+)"', form.group(0)).group(1).replace("&amp;", "&")
    response = browser.post(action, data={"next": back})
    assert response.headers["Location"] == back == f"{BASE}?tab=recent"
    assert fresh(setting["old_pending"]).status == CommentStatus.VISIBLE


def test_empty_lists_say_so(browser, login_as, moderator, org):
    login_as(moderator)
    assert "No comments are waiting for review." in text(browser.get(BASE))
    assert "No reported comments are waiting for a check." in text(
        browser.get(f"{BASE}?tab=flagged")
    )


def test_a_reported_visible_comment_is_kept_visible_from_the_list(
    db, browser, login_as, moderator, setting
):
    """One button does what the bulk "approve" does: the reports are answered, the comment
    stays, and the act is in the audit log."""
    login_as(moderator)
    page = text(browser.get(f"{BASE}?tab=flagged"))
    comment_id = setting["visible"].id
    button = re.search(
        rf'<button type="submit" form="approve-{comment_id}"[^>]*>(.*?)</button>', page
    )
    assert button is not None and button.group(1).startswith("Keep visible")
    form = re.search(rf'<form method="post" id="approve-{comment_id}".*?</form>', page, re.S)
    assert form is not None
    assert re.search(r'name="csrf_token" value="[^"]+"', form.group(0))
    action = re.search(r'action="([^"]+)"', form.group(0)).group(1)
    assert action == f"{BASE}/comments/{comment_id}/approve"
    back = re.search(r'name="next" value="([^"]+)"', form.group(0)).group(1).replace("&amp;", "&")

    response = browser.post(action, data={"next": back})
    assert response.status_code == 303
    assert response.headers["Location"] == back == f"{BASE}?tab=flagged"
    kept = fresh(setting["visible"])
    assert kept.status == CommentStatus.VISIBLE
    assert kept.reviewed_by_id == moderator.id
    [row] = audit_rows("comment.approve")
    assert row.target_id == comment_id and row.details["was"] == "visible"
    assert row.actor_id == moderator.id
    assert_counters_exact()
    after = text(browser.get(back))
    assert "The comment stays visible and is marked as checked." in flashes(after)
    assert _items(after) == [setting["reported"].id]


def test_keep_visible_is_offered_only_for_visible_reported_comments(
    browser, login_as, moderator, setting
):
    login_as(moderator)
    flagged = text(browser.get(f"{BASE}?tab=flagged"))
    assert flagged.count(">Keep visible<") == 2  # "reported" and "visible"
    recent = text(browser.get(f"{BASE}?tab=recent"))
    assert "Keep visible" not in recent  # elsewhere the comment page has it
    assert f'form="approve-{setting["old_pending"].id}"' in recent  # "Approve"
    assert f'form="restore-{setting["hidden"].id}"' in recent  # "Restore"


def test_blocked_users_is_linked_once_from_the_queue(browser, login_as, moderator, setting):
    """The staff menu has it on every moderation page; the queue does not repeat it."""
    login_as(moderator)
    for tab in ("pending", "flagged", "recent"):
        page = text(browser.get(f"{BASE}?tab={tab}"))
        assert page.count(">Blocked users</a>") == 1
        menu = re.search(r'<nav class="staff-nav".*?</nav>', page, re.S).group(0)
        assert 'href="/staff/keitele/blocks">Blocked users</a>' in menu
        assert "Reasons for hiding" in main_of(page)
