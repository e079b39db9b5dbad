"""Topics in every state for the API tests, and helpers to read the API.

``build_api_world(org)`` makes, besides the published topic of ``tests.results.support``
(comments of every channel and status, themes, poll answers, stances):

- an open topic of Keitele with a shown comment, one waiting for review, one held by
  reports, one hidden and one deleted;
- a topic its admin closed early, and a topic past its deadline (still "open" in the
  database: the clock closes it);
- a draft and a topic that opens next week, each with a shown comment (which must never
  be published through the API);
- a joint authority's open topic that concerns Keitele, and a draft of it.

``World.secrets`` holds every name, e-mail address and nickname; none may appear in any
answer of the API.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.consultations.models import Comment, CommentStatus, Topic, TopicStatus, TopicTranslation
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.organisations.models import Organisation, OrganisationKind
from tests import factories
from tests.results.support import add_comment, build_world

API = "/api/v1"


@dataclass
class World:
    org: Organisation
    authority: Organisation
    topics: dict[str, Topic] = field(default_factory=dict)
    comments: dict[str, Comment] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)

    @property
    def public(self) -> set[str]:
        return {
            "published",
            "open",
            "closed_early",
            "past_deadline",
            "authority_open",
            "upcoming",  # readable before it opens, as on the site
        }

    @property
    def hidden(self) -> set[str]:
        return {"draft", "authority_draft"}


def build_api_world(org: Organisation) -> World:
    results = build_world(org, published=True)
    authority = factories.make_org(
        "ylasavon-sote", "Ylä-Savon SOTE", languages="fi,sv", kind=OrganisationKind.JOINT_AUTHORITY
    )
    authority.members.append(org)
    world = World(org=org, authority=authority, secrets=list(results.secrets))
    world.topics["published"] = results.topic
    world.comments.update({f"published_{k}": c for k, c in results.comments.items()})

    writer = factories.make_user("kirjoittaja@example.fi", name="Kerttu Kirjoittaja")
    world.secrets += [writer.email, writer.display_name]
    t = world.topics
    t["open"] = factories.make_topic(
        org,
        slug="avoin",
        title="Avoin aihe",
        title_sv="Öppet ämne",
        contact_person="Suunnittelija Salla Sisältö, salla.sisalto@keitele.fi",
    )
    world.secrets += ["Salla Sisältö", "salla.sisalto@keitele.fi"]
    t["closed_early"] = factories.make_topic(
        org, slug="suljettu-ajoissa", status=TopicStatus.CLOSED
    )
    t["past_deadline"] = factories.make_topic(
        org, slug="umpeutunut", opens_in=timedelta(days=-20), closes_in=timedelta(hours=-1)
    )
    t["draft"] = factories.make_topic(
        org, slug="luonnos", status=TopicStatus.DRAFT, title="Salainen luonnos"
    )
    t["upcoming"] = factories.make_topic(
        org, slug="tuleva", opens_in=timedelta(days=7), closes_in=timedelta(days=30)
    )
    t["authority_open"] = factories.make_topic(authority, slug="sote-avoin")
    t["authority_open"].concerned_organisations.append(org)
    t["authority_draft"] = factories.make_topic(
        authority, slug="sote-luonnos", status=TopicStatus.DRAFT
    )
    t["authority_draft"].concerned_organisations.append(org)

    c = world.comments
    now = utcnow()
    c["open_shown"] = add_comment(t["open"], writer, "Näkyvä kommentti.")
    c["open_reply"] = add_comment(t["open"], writer, "Vastaus itselleni.", parent=c["open_shown"])
    c["open_waiting"] = add_comment(
        t["open"], writer, "Odottaa tarkastusta.", status=CommentStatus.PENDING
    )
    c["open_held"] = add_comment(
        t["open"],
        writer,
        "Ilmoitusten piilottama.",
        status=CommentStatus.PENDING,
        auto_hidden_at=now,
        flag_count=3,
    )
    c["open_hidden"] = add_comment(
        t["open"],
        writer,
        "Moderaattorin piilottama.",
        status=CommentStatus.HIDDEN,
        hidden_at=now,
        hidden_reason="Asiaton",
    )
    c["open_deleted"] = add_comment(
        t["open"], writer, "Kirjoittajan poistama.", status=CommentStatus.DELETED, deleted_at=now
    )
    c["draft_shown"] = add_comment(t["draft"], writer, "Luonnoksen kommentti.")
    c["upcoming_shown"] = add_comment(t["upcoming"], writer, "Tulevan kommentti.")
    db.session.flush()
    return world


def shown_ids(topic: Topic) -> list[int]:
    """The ids of the topic's shown comments, oldest first (what the API must give)."""
    return list(
        db.session.scalars(
            sa.select(Comment.id)
            .where(Comment.topic_id == topic.id, Comment.status == CommentStatus.VISIBLE)
            .order_by(Comment.created_at, Comment.id)
        )
    )


def all_secrets() -> list[str]:
    """Every e-mail address and name of a person, every nickname and contact person, read
    from the database (so that demo data is covered too)."""
    found: set[str] = set()
    for email, name in db.session.execute(sa.select(User.email, User.display_name)):
        found.update([email, name])
    found.update(n for n in db.session.scalars(sa.select(Comment.nickname)) if n and n != "—")
    found.update(p for p in db.session.scalars(sa.select(TopicTranslation.contact_person)) if p)
    found.update(e for e in db.session.scalars(sa.select(Organisation.contact_email)) if e)
    return sorted(found)


def leaks(text: str, secrets: list[str]) -> list[str]:
    """The secrets found in an answer's text: as sent, and in the decoded JSON (where
    escapes such as \\u00e4 are undone)."""
    decoded = text
    if text.startswith(("{", "[")):
        decoded = json.dumps(json.loads(text), ensure_ascii=False)
    return [s for s in secrets if s in text or s in decoded]


def get_json(client, path: str, **kw):
    response = client.get(path, **kw)
    assert response.mimetype == "application/json", (path, response.status_code)
    return response, response.get_json()


def walk(client, first_url: str) -> list[dict]:
    """Every item of a list, following ``next`` until it is null."""
    items: list[dict] = []
    url: str | None = first_url
    pages = 0
    while url:
        response, body = get_json(client, url)
        assert response.status_code == 200, body
        items.extend(body["data"])
        url = body["next"]
        pages += 1
        assert pages < 1000
    return items
