"""A small topic with one of everything the results count, and the numbers it should give.

``build_world`` makes, in a topic of Keitele that ran for a month and closed yesterday:

- registered writers from Keitele (Aino), Tervo (Olli) and without a home (Eero), two
  more whose comments were hidden (Hilkka with a reason template, Kalle without one),
  and Sanna, who only took a stance, answered the poll and voted;
- comments on the web (top level and a reply), without an account (a comment, a reply
  and one waiting), on paper and at an event; a deleted comment; an official reply;
- stances, poll answers, comment votes, themes with tags, a key comment.

Every name, nickname and e-mail address is listed in ``World.secrets``: none of them may
appear on a results page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.consultations import tallies
from eraati.consultations.models import (
    Answer,
    AnswerChoice,
    Comment,
    CommentSource,
    CommentStatus,
    CommentVote,
    Stance,
    Theme,
    Topic,
    TopicStance,
    TopicStatus,
    VoteValue,
    comment_themes,
)
from eraati.core.time import local, utcnow
from eraati.extensions import db
from eraati.moderation.models import ModerationReason
from eraati.organisations.models import Organisation, Role
from tests import factories
from tests.consultations.topic_support import make_comment
from tests.page_support import read


@dataclass
class World:
    org: Organisation
    topic: Topic
    users: dict[str, User] = field(default_factory=dict)
    comments: dict[str, Comment] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    reason: ModerationReason | None = None
    secrets: list[str] = field(default_factory=list)  # names, nicknames, e-mail addresses


def add_comment(topic: Topic, *args, **kw) -> Comment:
    """``make_comment`` with both of the topic's counters kept (visible and hidden),
    written three days ago unless ``created_at`` says otherwise."""
    return make_comment(topic, *args, age=timedelta(days=3), count_hidden=True, **kw)


def tag(comment: Comment, *themes: Theme) -> None:
    db.session.execute(
        sa.insert(comment_themes), [{"comment_id": comment.id, "theme_id": t.id} for t in themes]
    )


def stance(topic: Topic, user: User, value: Stance) -> None:
    db.session.add(TopicStance(topic_id=topic.id, user_id=user.id, stance=value))
    counter = f"{value.value}_count"
    setattr(topic, counter, getattr(topic, counter) + 1)


def vote(comment: Comment, user: User, value: VoteValue = VoteValue.AGREE) -> None:
    db.session.add(CommentVote(comment_id=comment.id, user_id=user.id, value=value))


def answer(topic: Topic, user: User, question_index: int, *option_indexes: int) -> None:
    question = topic.questions[question_index]
    row = Answer(question_id=question.id, user_id=user.id)
    for i in option_indexes:
        row.choices.append(AnswerChoice(option_id=question.options[i].id))
    db.session.add(row)
    chosen = {question.options[i].id for i in option_indexes}
    tallies.apply(tallies.moved(question, None, chosen))  # as answer_poll counts it


def days_ago(n: int, hour: int = 12) -> datetime:
    """Noon (Helsinki) ``n`` days ago, as aware UTC."""
    day = local(utcnow()).date() - timedelta(days=n)
    return local(utcnow()).replace(
        year=day.year, month=day.month, day=day.day, hour=hour, minute=0, second=0, microsecond=0
    )


def build_world(org: Organisation, *, published: bool = False) -> World:
    tervo = factories.make_org("tervo", "Tervo")
    topic = factories.make_closed_topic(org, title="Kirjaston aukioloajat", with_poll=True)
    if published:
        topic.status = TopicStatus.PUBLISHED
        topic.results_published_at = utcnow()
    world = World(org=org, topic=topic)

    def person(key: str, name: str, home: Organisation | None) -> User:
        user = factories.make_user(f"{key}@example.fi", name=name)
        factories.set_home(user, home)
        world.users[key] = user
        world.secrets += [name, user.email]
        return user

    aino = person("aino", "Aino Asukas", org)
    olli = person("olli", "Olli Oravainen", tervo)
    eero = person("eero", "Eero Ekholm", None)
    hilkka = person("hilkka", "Hilkka Hiltunen", org)
    kalle = person("kalle", "Kalle Kärsämäki", None)
    sanna = person("sanna", "Sanna Saarinen", org)
    staff = factories.make_user(
        "vastaaja@keitele.fi", name="Ville Virkamies", org=org, roles=(Role.MODERATOR,)
    )
    world.users["staff"] = staff
    world.secrets += ["Ville Virkamies", "vastaaja@keitele.fi", "Nimetön Nalle", "Salainen Sirkka"]

    reason = ModerationReason(organisation_id=org.id, texts={"fi": "Loukkaava", "sv": "Kränkande"})
    db.session.add(reason)
    db.session.flush()
    world.reason = reason

    themes = {}
    for i, (key, fi, sv) in enumerate(
        [
            ("hours", "Aukioloajat", "Öppettider"),
            ("books", "Kokoelmat", "Samlingar"),
            ("empty", "Pysäköinti", "Parkering"),
        ]
    ):
        themes[key] = Theme(topic_id=topic.id, texts={"fi": fi, "sv": sv}, position=i)
        db.session.add(themes[key])
    db.session.flush()
    world.themes = themes

    c = world.comments
    c["aino"] = add_comment(
        topic,
        aino,
        "Kirjasto auki myös sunnuntaisin.",
        agree_count=5,
        is_key=True,
        created_at=days_ago(10),
    )
    c["olli"] = add_comment(
        topic, olli, "Lisää uutuuskirjoja, kiitos.", agree_count=2, created_at=days_ago(10, 15)
    )
    c["eero"] = add_comment(
        topic, eero, "Lehtilukusali on tärkeä.", agree_count=1, created_at=days_ago(8)
    )
    c["olli_reply"] = add_comment(
        topic, olli, "Samaa mieltä sunnuntaista.", parent=c["aino"], created_at=days_ago(8, 14)
    )
    c["eero_waiting"] = add_comment(
        topic, eero, "Odottaa tarkastusta.", status=CommentStatus.PENDING, created_at=days_ago(2)
    )
    c["anon"] = add_comment(
        topic, None, "Iltaisin pidempään.", nickname="Nimetön Nalle", created_at=days_ago(6)
    )
    c["anon_reply"] = add_comment(
        topic,
        None,
        "Kyllä!",
        nickname="Nimetön Nalle",
        parent=c["anon"],
        created_at=days_ago(6, 18),
    )
    c["anon_waiting"] = add_comment(
        topic,
        None,
        "Vielä tarkastamatta.",
        nickname="Salainen Sirkka",
        status=CommentStatus.PENDING,
        created_at=days_ago(2),
    )
    c["paper"] = add_comment(
        topic,
        None,
        "Paperilla: lisää istumapaikkoja.",
        source=CommentSource.PAPER,
        received_on=days_ago(5).date(),
        place="Keiteleen kirjasto",
        entered_by_id=staff.id,
        created_at=days_ago(1),
    )
    c["event"] = add_comment(
        topic,
        None,
        "Tilaisuudessa: aamuaukiolo tärkeä.",
        source=CommentSource.EVENT,
        received_on=days_ago(4).date(),
        place="Kyläilta",
        entered_by_id=staff.id,
        created_at=days_ago(1),
    )
    now = utcnow()
    c["hidden_reason"] = add_comment(
        topic,
        hilkka,
        "Asiaton kommentti.",
        status=CommentStatus.HIDDEN,
        hidden_at=now,
        hidden_reason="Loukkaava",
        hidden_reason_id=reason.id,
        created_at=days_ago(7),
    )
    c["hidden_other"] = add_comment(
        topic,
        kalle,
        "Toinen asiaton.",
        status=CommentStatus.HIDDEN,
        hidden_at=now,
        hidden_reason="Muu syy",
        created_at=days_ago(7),
    )
    c["deleted"] = add_comment(
        topic,
        aino,
        "Poistettu.",
        status=CommentStatus.DELETED,
        deleted_at=now,
        created_at=days_ago(9),
    )
    c["official"] = add_comment(
        topic,
        staff,
        "Selvitämme uutuuksien hankintaa.",
        parent=c["olli"],
        is_official=True,
        created_at=days_ago(3),
    )

    tag(c["aino"], themes["hours"])
    tag(c["olli"], themes["hours"], themes["books"])
    tag(c["event"], themes["hours"])
    tag(c["eero"], themes["books"])

    stance(topic, aino, Stance.SUPPORT)
    stance(topic, sanna, Stance.SUPPORT)
    stance(topic, eero, Stance.OPPOSE)
    vote(c["aino"], eero)
    vote(c["olli"], sanna, VoteValue.DISAGREE)
    answer(topic, aino, 0, 0)  # yes
    answer(topic, sanna, 0, 1)  # no
    answer(topic, aino, 1, 0, 1)  # library, swimming hall
    answer(topic, olli, 1, 0)  # library
    db.session.flush()
    return world


# What build_world's topic should give.
EXPECTED = {
    # Hilkka and Kalle only wrote comments that were hidden: they are not counted.
    "registered": 4,  # Aino, Olli, Eero, Sanna
    "commenters": 3,  # Aino, Olli, Eero (whose other comment is waiting)
    "voters": 2,  # Eero, Sanna
    "stance_takers": 3,  # Aino, Sanna, Eero
    "respondents": 3,  # Aino, Sanna, Olli
    "channels": {  # (comments, replies), shown ones, no official replies
        "registered": (3, 1),
        "anonymous": (1, 1),
        "paper": (1, 0),
        "event": (1, 0),
    },
    "municipalities": [("Tervo", 1, 2), ("Keitele", 1, 1), (None, 1, 1)],
    "stances": (2, 1, 0),
    "poll": [[(1, 0.5), (1, 0.5), (0, 0.0)], [(2, 1.0), (1, 0.5), (0, 0.0)]],
    "respondents_per_question": [2, 2],
    "themes": [("Aukioloajat", 3), ("Kokoelmat", 2), ("Pysäköinti", 0)],
    "untagged": 4,  # Olli's reply, the anonymous comment and reply, the paper one
    "hidden": [("Loukkaava", 1), (None, 1)],
    "waiting": 2,
}


# --- pages ---------------------------------------------------------------------------------


def staff_url(topic, org_slug: str | None = None) -> str:
    return f"/staff/{org_slug or topic.organisation.slug}/topics/{topic.id}/results-overview"


def public_url(topic) -> str:
    return f"/{topic.organisation.slug}/{topic.slug}/results"


def html(response) -> str:
    return response.get_data(as_text=True)


def tables(page: str) -> dict[str, list[list[str]]]:
    """{caption: rows of cell texts (header row and footer included)}."""
    found = {}
    for element in read(page).find("table"):
        caption = next((c for c in element.children if c.tag == "caption"), None)
        rows = []
        for section in element.children:
            for tr in (c for c in section.children if c.tag == "tr"):
                rows.append([" ".join(cell.text.split()) for cell in tr.children])
        found[" ".join(caption.text.split()) if caption else ""] = rows
    return found


def visible_text(page: str) -> str:
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))
