"""Role x action x organisation, for every staff route.

Every route under ``/staff/<org_slug>/`` and ``/platform/`` is listed in ``RULES`` with
the permission that guards it; a route that is not listed fails
``test_every_staff_route_is_in_the_matrix``, so a new staff page cannot skip this file.
For each route and method:

- allowed roles of the organisation get through (no 403, 404 or 500);
- the organisation's staff without the right get 403;
- staff of another organisation, holding every role there, get 403 at Keitele's address,
  and 404 when they put Keitele's ids into an address of their own organisation;
- a resident gets 403, a visitor is sent to log in.

POSTs carry no form data: a refused request must be refused before its form is read, and
an allowed one must answer with a form error or do what it does, never crash.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from eraati.analysis import campaigns
from eraati.analysis.models import AnalysisKind, TopicAnalysis
from eraati.consultations.models import (
    Answer,
    Comment,
    CommentStatus,
    FileKind,
    Question,
    QuestionKind,
    Theme,
    TopicFile,
)
from eraati.core.time import utcnow
from eraati.events.models import TopicEvent
from eraati.jobs.models import ExportJob, JobState
from eraati.jobs.services import export_dir
from eraati.moderation.models import ModerationReason, UserBlock
from eraati.organisations.models import Invitation, Role
from eraati.parts.models import TopicPart, TopicPartText
from eraati.places.models import TopicMap, TopicPlace
from tests import factories

ADMIN, MODERATOR, PREPARER = Role.ADMIN, Role.MODERATOR, Role.PREPARER
ALL = (ADMIN, MODERATOR, PREPARER)

# Which organisation roles each permission of eraati/permissions.py lets in.
ROLES = {
    "staff": ALL,
    "moderate": (ADMIN, MODERATOR),
    "moderate_answers": (ADMIN, MODERATOR),
    "export": (ADMIN, PREPARER),
    "manage_topics": (ADMIN,),
    "manage_topic_map": (ADMIN, PREPARER),
    "manage_parts": (ADMIN,),
    "manage_staff": (ADMIN,),
    "manage_organisation": (ADMIN,),
    "view_audit": (ADMIN,),
}

# endpoint -> the permission that guards it.
RULES = {
    "organisations.dashboard": "staff",
    "organisations.people": "manage_staff",
    "organisations.grant": "manage_staff",
    "organisations.invite": "manage_staff",
    "organisations.revoke": "manage_staff",
    "organisations.revoke_invitation": "manage_staff",
    "organisations.settings": "manage_organisation",
    "organisations.upload_logo": "manage_organisation",
    "organisations.remove_logo": "manage_organisation",
    "organisations.members": "manage_organisation",
    "organisations.municipality_code": "manage_organisation",
    "audit.log": "view_audit",
    "manage.topics": "staff",
    "manage.new_topic": "manage_topics",
    "manage.edit_topic": "manage_topics",
    "manage.close": "manage_topics",
    "manage.publish": "manage_topics",
    "manage.results": "manage_topics",
    "manage.files": "manage_topics",
    "manage.add_image": "manage_topics",
    "manage.add_attachment": "manage_topics",
    "manage.delete_file": "manage_topics",
    "manage.move_file": "manage_topics",
    "manage.renew_preview": "manage_topics",
    "manage.revoke_preview": "manage_topics",
    "parts.staff_parts": "manage_parts",
    "parts.staff_new_part": "manage_parts",
    "parts.staff_edit_part": "manage_parts",
    "parts.staff_delete_part": "manage_parts",
    "parts.staff_move_part": "manage_parts",
    "events.topic_events": "manage_topics",
    "events.add_event": "manage_topics",
    "events.edit_event": "manage_topics",
    "events.delete_event": "manage_topics",
    "places.staff_map": "manage_topic_map",
    "places.save_area": "manage_topic_map",
    "places.remove_map": "manage_topic_map",
    "places.add_place": "manage_topic_map",
    "places.edit_place": "manage_topic_map",
    "places.delete_place": "manage_topic_map",
    "places.moderator_map": "moderate",
    "moderation.queue": "moderate",
    "moderation.bulk": "moderate",
    "moderation.comment": "moderate",
    "moderation.approve": "moderate",
    "moderation.hide": "moderate",
    "moderation.restore": "moderate",
    "moderation.answers": "moderate_answers",
    "moderation.check_answers": "moderate_answers",
    "moderation.answer": "moderate_answers",
    "moderation.hide_answer": "moderate_answers",
    "moderation.restore_answer": "moderate_answers",
    "moderation.reasons": "moderate",
    "moderation.edit_reason": "moderate",
    "moderation.set_reason_active": "moderate",
    "moderation.add_default_reasons": "moderate",
    "moderation.blocks": "moderate",
    "moderation.lift_block": "moderate",
    "curation.workspace": "moderate",
    "curation.themes": "moderate",
    "curation.edit_theme": "moderate",
    "curation.delete_theme": "moderate",
    "curation.tag_comment": "moderate",
    "curation.key_comment": "moderate",
    "curation.official_reply": "moderate",
    "curation.paper": "moderate",
    "curation.summary": "moderate",
    "curation.campaign_list": "moderate",
    "curation.campaign": "moderate",
    "curation.compute_campaigns": "moderate",
    "curation.suggested_themes": "moderate",
    "curation.decide_suggestions": "moderate",
    "curation.compute_suggestions": "moderate",
    "exports.page": "export",
    "exports.download": "export",
    "jobs.start": "export",
    "jobs.progress": "export",
    "jobs.download": "export",
    "results.staff": "staff",
    "results.opinion_groups": "staff",
    "results.compute_opinion_groups": "staff",
}
# Platform routes: only platform admins, whatever their organisation roles.
PLATFORM = {
    "organisations.platform_organisations",
    "organisations.platform_new",
    "organisations.platform_edit",
    "organisations.platform_appoint",
    "organisations.platform_accounts",
    "organisations.platform_account",
    "organisations.platform_suspend",
    "organisations.platform_unsuspend",
    "organisations.platform_audit",
}
# Staff routes without an organisation in the address: any signed-in staff member.
UNSCOPED = {"organisations.staff_home", "organisations.reauth"}


def _staff_rules(app):
    return [
        r
        for r in app.url_map.iter_rules()
        if r.rule.startswith(("/staff/", "/platform/")) and r.endpoint not in UNSCOPED
    ]


def test_every_staff_route_is_in_the_matrix(app):
    endpoints = {r.endpoint for r in _staff_rules(app)}
    assert endpoints - set(RULES) - PLATFORM == set(), "add the new staff routes to RULES"
    assert set(RULES) | PLATFORM <= endpoints, "RULES names a route that does not exist"


def _cases(app_factory_rules):
    cases = []
    for rule in app_factory_rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            cases.append((rule.endpoint, rule.rule, method))
    return sorted(cases)


def _all_cases():
    from config import TestingConfig
    from eraati import create_app

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    return _cases(_staff_rules(app))


CASES = _all_cases()


class World:
    """Two organisations with one of everything a staff route can point at."""

    def __init__(self, db):
        now = utcnow()
        self.orgs, self.ids, self.staff = {}, {}, {}
        self.resident = factories.make_user("asukas@example.fi")
        self.platform_admin = factories.make_user("yllapito@example.fi")
        self.platform_admin.is_platform_admin = True
        for slug, name in (("keitele", "Keitele"), ("vierema", "Vieremä")):
            org = factories.make_org(slug, name)
            topic = factories.make_topic(org, slug=f"aihe-{slug}", title=f"Aihe {name}")
            comment = Comment(topic_id=topic.id, author_id=self.resident.id, body="Hyvä ajatus")
            hidden = Comment(
                topic_id=topic.id,
                author_id=self.resident.id,
                body="Piilotettu",
                status=CommentStatus.HIDDEN,
                hidden_at=now,
                hidden_reason="Loukkaava",
            )
            theme = Theme(topic=topic, texts={"fi": "Liikenne"})
            reason = ModerationReason(organisation=org, texts={"fi": "Loukkaava"})
            block = UserBlock(
                organisation=org,
                user_id=self.resident.id,
                ends_at=now + timedelta(days=3),
                reason="Häiriköinti",
            )
            file = TopicFile(
                topic_id=None,
                kind=FileKind.ATTACHMENT,
                filename="liite.pdf",
                content_type="application/pdf",
                size=9,
                data=b"%PDF-1.4\n",
                texts={"fi": "Liite"},
            )
            topic.files.append(file)
            invitation = Invitation(
                organisation=org,
                email=f"uusi@{slug}.fi",
                role=Role.MODERATOR,
                expires_at=now + timedelta(days=7),
            )
            # A finished export job with its file, so that its download answers.
            job = ExportJob(
                token=f"job-{slug}",
                organisation_id=org.id,
                topic_id=topic.id,
                format="xlsx",
                language="fi",
                state=JobState.DONE,
                filename="aihe.xlsx",
                stored_name=f"job-{slug}.xlsx",
                size_bytes=4,
                expires_at=now + timedelta(days=7),
            )
            export_dir().mkdir(parents=True, exist_ok=True)
            export_dir().joinpath(job.stored_name).write_bytes(b"PK\x03\x04")
            event = TopicEvent(
                topic_id=topic.id, starts_at=now + timedelta(days=2), place="Kirjasto"
            )
            area = TopicMap(topic_id=topic.id, south=63.5, west=27.1, north=63.6, east=27.3)
            place = TopicPlace(topic_id=topic.id, name_fi="Tori", lat=63.56, lon=27.19)
            part = TopicPart(topic_id=topic.id, position=1)
            part.texts.append(TopicPartText(locale="fi", title="Osa", body="<p>Teksti</p>"))
            # A survey's open question with one answer (moderated like a comment).
            question = Question(kind=QuestionKind.OPEN, texts={"fi": "Muuta?"})
            topic.questions.append(question)
            db.session.add_all(
                [comment, hidden, theme, reason, block, invitation, job, event, area, place, part]
            )
            db.session.flush()
            answer = Answer(question_id=question.id, user_id=self.resident.id, text="Iltaisin")
            db.session.add(answer)
            db.session.flush()
            # A stored campaign group holding the comment, so that its review page answers.
            db.session.add(
                TopicAnalysis(
                    topic_id=topic.id,
                    kind=AnalysisKind.CAMPAIGNS,
                    computed_at=now,
                    result={
                        "version": campaigns.RESULT_VERSION,
                        "groups": [
                            {
                                "kind": "exact",
                                "size": 1,
                                "representative_id": comment.id,
                                "text": comment.body,
                                "language": "fi",
                                "first_at": now.isoformat(),
                                "last_at": now.isoformat(),
                                "writers": 1,
                                "without_account": 0,
                                "ids": [comment.id],
                            }
                        ],
                    },
                )
            )
            topic.comment_count = 1
            topic.hidden_count = 1
            self.orgs[slug] = org
            self.ids[slug] = {
                "topic_id": topic.id,
                "comment_id": comment.id,
                "answer_id": answer.id,
                "theme_id": theme.id,
                "reason_id": reason.id,
                "block_id": block.id,
                "file_id": file.id,
                "event_id": event.id,
                "place_id": place.id,
                "part_id": part.id,
                "invitation_id": invitation.id,
                "token": job.token,
                "org_id": org.id,
                "user_id": self.resident.id,
                "fmt": "csv",
            }
        keitele, vierema = self.orgs["keitele"], self.orgs["vierema"]
        for role in ALL:
            self.staff[role] = factories.make_user(f"{role}@keitele.fi", org=keitele, roles=(role,))
        # Someone with every role in Vieremä and none in Keitele.
        self.outsider = factories.make_user("kaikki@vierema.fi", org=vierema, roles=ALL)
        db.session.commit()

    def url(self, rule: str, org_slug: str, ids_of: str) -> str:
        ids = self.ids[ids_of]

        def fill(match: re.Match) -> str:
            name = match.group(2)
            if name == "org_slug":
                return org_slug
            return str(ids[name])

        return re.sub(r"<(?:(\w+):)?(\w+)>", fill, rule)


@pytest.fixture
def world(db):
    return World(db)


def _request(client, login_as, method: str, url: str, user=None):
    if user is not None:
        login_as(user)
    else:
        client.get("/")  # a fresh session without a user
        with client.session_transaction() as session:
            session.clear()
    response = client.open(url, method=method, data={})
    return response.status_code, response.headers.get("Location", "")


def _refused_login(status: int, location: str) -> bool:
    return status in (302, 303) and "/account/login" in location


@pytest.mark.parametrize(("endpoint", "rule", "method"), CASES)
def test_outsiders_are_refused(client, login_as, world, endpoint, rule, method):
    """Visitor -> log in; resident and other organisation's staff -> 403 at Keitele's
    address; other organisation's staff with Keitele's ids in their own address -> 404."""
    url = world.url(rule, "keitele", "keitele")
    status, location = _request(client, login_as, method, url)
    assert _refused_login(status, location), (endpoint, method, "visitor", status, location)
    assert _request(client, login_as, method, url, world.resident)[0] == 403
    if endpoint in PLATFORM:
        for role in ALL:
            assert _request(client, login_as, method, url, world.staff[role])[0] == 403
        return
    assert _request(client, login_as, method, url, world.outsider)[0] == 403, (endpoint, method)
    if re.search(r"<int:", rule):
        own_address = world.url(rule, "vierema", "keitele")
        status = _request(client, login_as, method, own_address, world.outsider)[0]
        assert status == 404, (endpoint, method, "Keitele's ids in Vieremä's address", status)


@pytest.mark.parametrize(("endpoint", "rule", "method"), CASES)
def test_roles_of_the_organisation(client, login_as, world, endpoint, rule, method):
    """Each Keitele role: allowed -> gets through; not allowed -> 403 (403 first, so the
    refused roles change nothing before the allowed one acts)."""
    url = world.url(rule, "keitele", "keitele")
    if endpoint in PLATFORM:
        status = _request(client, login_as, method, url, world.platform_admin)[0]
        assert status not in (401, 403, 404, 500), (endpoint, method, status)
        return
    allowed = ROLES[RULES[endpoint]]
    for role in ALL:
        if role not in allowed:
            status = _request(client, login_as, method, url, world.staff[role])[0]
            assert status == 403, (endpoint, method, role, status)
    status = _request(client, login_as, method, url, world.staff[allowed[0]])[0]
    assert status not in (401, 403, 404, 405, 500), (endpoint, method, allowed[0], status)
