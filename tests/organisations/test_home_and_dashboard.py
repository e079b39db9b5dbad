"""The staff home (/staff/) and an organisation's overview (/staff/<org>/)."""

from __future__ import annotations

from datetime import timedelta

from eraati.consultations import services as comment_services
from eraati.consultations.models import CommentStatus, FlagReason, TopicStatus
from eraati.moderation import services as moderation_services
from eraati.moderation.reasons import create_default_reasons
from eraati.organisations.models import Membership, Role
from tests import factories
from tests.consultations.topic_support import make_comment
from tests.organisations.support import text
from tests.page_support import read

# --- staff home ----------------------------------------------------------------------------


def test_staff_home_lists_each_organisation_once_with_all_roles(
    db, client, login_as, org, other_org
):
    user = factories.make_user("monitoimi@keitele.fi", org=org, roles=(Role.MODERATOR,))
    db.session.add(Membership(user_id=user.id, organisation_id=org.id, role=Role.PREPARER))
    db.session.add(Membership(user_id=user.id, organisation_id=other_org.id, role=Role.ADMIN))
    db.session.commit()
    login_as(user)
    _choose_english(client)
    page = read(text(client.get("/staff/")))
    cards = [li for li in page.find("li") if "org-card" in li.attrs.get("class", "")]
    assert len(cards) == 2
    by_name = {}
    for card in cards:
        name = next(a.text for a in page.find("a") if a.up("li") is card)
        by_name[name] = " ".join(card.text.split())
    assert "Moderator" in by_name["Keitele"] and "Preparer" in by_name["Keitele"]
    assert "admin" in by_name["Vieremä"].lower() and "Moderator" not in by_name["Vieremä"]
    links = {a.attrs["href"] for a in page.find("a")}
    assert {"/staff/keitele/", "/staff/vierema/"} <= links
    assert "/platform/organisations" not in links


def test_platform_admin_sees_the_platform_link(client, login_as, platform_admin):
    login_as(platform_admin)
    page = read(text(client.get("/staff/")))
    assert "/platform/organisations" in {a.attrs["href"] for a in page.find("a")}


def test_the_staff_link_in_the_menu_leads_home(client, login_as, moderator):
    login_as(moderator)
    assert 'href="/staff/"' in text(client.get("/"))


# --- dashboard -----------------------------------------------------------------------------


def _figures(html: str) -> dict[str, int]:
    page = read(html)
    numbers = [e for e in page.find("span") if e.attrs.get("class") == "figure-number"]
    labels = [e for e in page.find("span") if e.attrs.get("class") == "figure-label"]
    return {lab.text.strip(): int(num.text) for num, lab in zip(numbers, labels, strict=True)}


def _choose_english(client):
    with client.session_transaction() as session:
        session["lang"] = "en"


def test_dashboard_counts_this_organisations_work(db, client, login_as, org, other_org, moderator):
    open_a = factories.make_topic(org, title="Auki 1", premoderated=True)
    factories.make_topic(org, title="Auki 2")
    factories.make_topic(
        org, title="Tuleva", opens_in=timedelta(days=2), closes_in=timedelta(days=9)
    )
    factories.make_closed_topic(org, title="Suljettu")
    factories.make_topic(org, slug="luonnos-1", status=TopicStatus.DRAFT)
    factories.make_topic(org, slug="luonnos-2", status=TopicStatus.DRAFT)
    factories.make_topic(org, slug="luonnos-3", status=TopicStatus.DRAFT)
    make_comment(open_a, body="Odottaa 1", status=CommentStatus.PENDING, nickname="A")
    make_comment(open_a, body="Odottaa 2", status=CommentStatus.PENDING, nickname="B")
    reported = make_comment(open_a, body="Ilmoitettu", nickname="C")
    make_comment(open_a, body="Piilotettu", status=CommentStatus.HIDDEN, nickname="D")
    make_comment(open_a, body="Tavallinen", nickname="E")
    theirs = factories.make_topic(other_org, title="Toisen")
    make_comment(theirs, body="Toisen odottava", status=CommentStatus.PENDING, nickname="F")
    their_reported = make_comment(theirs, body="Toisen ilmoitettu", nickname="G")
    factories.make_topic(other_org, slug="toisen-luonnos", status=TopicStatus.DRAFT)
    db.session.commit()
    reporter = factories.make_user("ilmoittaja@example.fi")
    comment_services.flag_comment(reported, reporter, FlagReason.SPAM)
    comment_services.flag_comment(their_reported, reporter, FlagReason.SPAM)
    db.session.commit()
    login_as(moderator)
    _choose_english(client)
    response = client.get("/staff/keitele/")
    assert response.status_code == 200
    assert _figures(text(response)) == {
        "open consultations": 2,
        "drafts": 3,
        "comments waiting for review": 2,
        "reported comment": 1,
    }


def test_dashboard_links_to_topics_and_moderation_by_role(
    client, login_as, org, moderator, preparer
):
    login_as(moderator)
    links = {a.attrs["href"] for a in read(text(client.get("/staff/keitele/"))).find("a")}
    assert {"/staff/keitele/topics", "/staff/keitele/moderation"} <= links
    login_as(preparer)
    page = read(text(client.get("/staff/keitele/")))
    main_links = {a.attrs["href"] for a in page.find("a") if "main" in a.ancestors}
    assert "/staff/keitele/topics" in main_links
    assert "/staff/keitele/moderation" not in main_links  # a preparer does not moderate


def test_dashboard_costs_the_same_queries_whatever_the_numbers(
    db, browser, login_as, org, moderator
):
    login_as(moderator)
    browser.get("/staff/keitele/")
    few = browser.queries
    for i in range(15):
        topic = factories.make_topic(org, slug=f"aihe-x{i}")
        make_comment(topic, body="x", status=CommentStatus.PENDING, nickname="N")
        make_comment(topic, body="y", nickname="M", flag_count=3)
    db.session.commit()
    response = browser.get("/staff/keitele/")
    assert response.status_code == 200
    assert browser.queries == few
    # user, organisation, the topics' figures, the queue's counts (nothing per topic)
    assert few <= 4


def _report(db, comment, count: int) -> None:
    for i in range(count):
        reporter = factories.make_user(f"ilmoittaja{comment.id}-{i}@example.fi")
        comment_services.flag_comment(comment, reporter, FlagReason.INSULTING)
    db.session.commit()


def _queue_badges(html: str) -> dict[str, int]:
    """The moderation queue's tabs and the numbers on them."""
    out = {}
    for badge in read(html).find("span"):
        link = badge.up("a")
        # (The link to the open answers' list has a badge in words: not a tab.)
        digits = badge.text.replace("\u00a0", "").replace(" ", "")
        if badge.attrs.get("class") == "badge" and link is not None and digits.isdigit():
            out[link.text.replace(badge.text, "").strip()] = int(digits)
    return out


def test_the_overview_counts_reported_comments_as_the_queue_does(
    db, client, login_as, org, moderator
):
    """One definition of "reported": reports no moderator has looked at yet, also on a
    comment the reports have already put on hold (hidden until a moderator checks it)."""
    topic = factories.make_topic(org, title="Auki")
    shown = make_comment(topic, body="Ilmoitettu kerran", nickname="A")
    held = make_comment(topic, body="Ilmoitettu kolmesti", nickname="B")
    handled = make_comment(topic, body="Ilmoitettu ja piilotettu", nickname="C")
    (reason, *_) = create_default_reasons(org)
    db.session.commit()
    _report(db, shown, 1)
    _report(db, held, org.flag_threshold)  # reaches the threshold: on hold, not shown
    _report(db, handled, 1)
    moderation_services.hide_comment(handled, reason, None, moderator)
    db.session.commit()
    db.session.refresh(held)
    assert held.status == CommentStatus.PENDING and held.auto_hidden_at is not None

    login_as(moderator)
    _choose_english(client)
    figures = _figures(text(client.get("/staff/keitele/")))
    tabs = _queue_badges(text(client.get("/staff/keitele/moderation")))
    assert figures["reported comments"] == tabs["Reported"] == 2
    assert figures["comment waiting for review"] == tabs["Waiting for review"] == 1
