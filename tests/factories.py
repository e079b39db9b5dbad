"""Small builders for test data. They flush, never commit; fixtures commit."""

from __future__ import annotations

import io
import itertools
import struct
import zlib
from datetime import timedelta

import sqlalchemy as sa
from PIL import Image

from eraati.accounts.models import User
from eraati.accounts.passwords import hash_password
from eraati.consultations.models import (
    Option,
    Question,
    QuestionKind,
    Topic,
    TopicStatus,
    TopicTranslation,
)
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.organisations import municipalities
from eraati.organisations.models import Membership, Organisation, OrganisationKind, Role

PASSWORD = "Kuikka-Järvi-1987!"
_seq = itertools.count(1)


def make_org(
    slug: str | None = None,
    name: str | None = None,
    languages: str = "fi",
    kind: OrganisationKind = OrganisationKind.MUNICIPALITY,
) -> Organisation:
    n = next(_seq)
    slug = slug or f"org{n}"
    org = Organisation(
        slug=slug,
        kind=kind,
        name_fi=name or f"Kunta {n}",
        name_sv=(name or f"Kommun {n}") if "sv" in languages else None,
        name_en=name or f"Municipality {n}",
        languages=languages,
    )
    db.session.add(org)
    db.session.flush()
    return org


def give_code(org: Organisation) -> str:
    """The organisation's municipality code: the one its Finnish name has in the reference
    list, else the first free one, if it has none yet."""
    if org.municipality_code is None:
        taken = set(
            db.session.scalars(
                sa.select(Organisation.municipality_code).where(
                    Organisation.municipality_code.is_not(None)
                )
            )
        )
        rows = municipalities.all_municipalities()
        named = [m.code for m in rows if m.name_fi == org.name_fi and m.code not in taken]
        org.municipality_code = (named or [m.code for m in rows if m.code not in taken])[0]
        db.session.flush()
    return org.municipality_code


def set_home(user: User, org: Organisation | None) -> None:
    """Make ``org`` the user's home organisation: their home municipality is its code."""
    user.home_municipality_code = give_code(org) if org is not None else None
    db.session.flush()


def make_user(
    email: str | None = None,
    *,
    verified: bool = True,
    name: str | None = None,
    org: Organisation | None = None,
    roles: tuple[Role, ...] = (),
    locale: str = "fi",
    password: str = PASSWORD,
) -> User:
    n = next(_seq)
    user = User(
        email=(email or f"user{n}@example.fi").lower(),
        password_hash=hash_password(password),
        display_name=name or f"Asukas {n}",
        locale=locale,
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    db.session.flush()
    for role in roles:
        db.session.add(Membership(user=user, organisation_id=org.id, role=role))
    db.session.flush()
    return user


def make_topic(
    org: Organisation,
    *,
    slug: str | None = None,
    status: TopicStatus = TopicStatus.OPEN,
    opens_in: timedelta = timedelta(days=-7),
    closes_in: timedelta = timedelta(days=14),
    title: str | None = None,
    title_sv: str | None = None,
    now=None,
    allow_anonymous: bool = False,
    premoderated: bool = False,
    with_poll: bool = False,
    deciding_body: str = "Kunnanhallitus",
    contact_person: str = "",
    **kw,
) -> Topic:
    """A topic in Finnish (and in Swedish with ``title_sv``, its deciding body then
    "Kommunstyrelsen")."""
    now = now or utcnow()
    n = next(_seq)
    topic = Topic(
        organisation=org,
        slug=slug or f"aihe-{n}",
        status=status,
        opens_at=now + opens_in,
        closes_at=now + closes_in,
        allow_anonymous=allow_anonymous,
        premoderated=premoderated,
        case_number=f"KH/{n}/2026",
        **kw,
    )
    topic.translations.append(
        TopicTranslation(
            locale="fi",
            title=title or f"Aihe {n}",
            summary="Tiivistelmä",
            body="<p>Kuvaus</p>",
            deciding_body=deciding_body,
            contact_person=contact_person,
        )
    )
    if title_sv:
        topic.translations.append(
            TopicTranslation(
                locale="sv",
                title=title_sv,
                summary="Sammanfattning",
                body="<p>Text</p>",
                deciding_body="Kommunstyrelsen" if deciding_body else "",
                contact_person=contact_person,
            )
        )
    if with_poll:
        q = Question(
            position=0,
            kind=QuestionKind.SINGLE,
            texts={"fi": "Mikä vaihtoehto?", "sv": "Vilket alternativ?", "en": "Which option?"},
        )
        for i, (fi, sv) in enumerate(
            [("Kyllä", "Ja"), ("Ei", "Nej"), ("En osaa sanoa", "Vet inte")]
        ):
            q.options.append(Option(position=i, texts={"fi": fi, "sv": sv, "en": fi}))
        topic.questions.append(q)
        q2 = Question(
            position=1,
            kind=QuestionKind.MULTIPLE,
            texts={"fi": "Mitkä palvelut?", "sv": "Vilka tjänster?", "en": "Which services?"},
        )
        for i, fi in enumerate(["Kirjasto", "Uimahalli", "Terveysasema"]):
            q2.options.append(Option(position=i, texts={"fi": fi}))
        topic.questions.append(q2)
    db.session.add(topic)
    db.session.flush()
    return topic


def make_closed_topic(org: Organisation, **kw) -> Topic:
    """A topic that ran for a month and closed yesterday, with a poll."""
    kw.setdefault("slug", "suljettu")
    kw.setdefault("with_poll", True)
    return make_topic(org, opens_in=timedelta(days=-30), closes_in=timedelta(days=-1), **kw)


def image_file(fmt: str = "PNG", width: int = 1, height: int = 1) -> bytes:
    """A real, decodable PNG or JPEG of the given size (keep it small)."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 90, 160)).save(out, fmt)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels in its header and holds a few bytes of
    image data: what a hostile upload looks like (it compresses to almost nothing)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def add_survey_questions(topic: Topic) -> tuple[Question, Question, Question]:
    """An open (limit 50 characters, optional), a scale (required) and a ranking (three
    options, required) question after the topic's others."""
    start = len(topic.questions)
    open_q = Question(
        position=start,
        kind=QuestionKind.OPEN,
        required=False,
        max_length=50,
        texts={"fi": "Mitä muuta?", "sv": "Vad annat?", "en": "What else?"},
    )
    scale = Question(
        position=start + 1,
        kind=QuestionKind.SCALE,
        texts={"fi": "Kuinka tyytyväinen?", "sv": "Hur nöjd?", "en": "How satisfied?"},
        scale_labels={
            "low": {"fi": "Erittäin tyytymätön", "sv": "Mycket missnöjd", "en": "Very unhappy"},
            "high": {"fi": "Erittäin tyytyväinen", "sv": "Mycket nöjd", "en": "Very happy"},
        },
    )
    ranking = Question(
        position=start + 2,
        kind=QuestionKind.RANKING,
        texts={"fi": "Mikä tärkeintä?", "sv": "Vad är viktigast?", "en": "What matters most?"},
    )
    for i, fi in enumerate(["Aamut", "Illat", "Viikonloput"]):
        ranking.options.append(Option(position=i, texts={"fi": fi, "en": fi}))
    for q in (open_q, scale, ranking):
        topic.questions.append(q)
    db.session.flush()
    return open_q, scale, ranking
