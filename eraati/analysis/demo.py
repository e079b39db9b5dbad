"""A demo topic with a known opinion structure (``flask eraati seed-demo --planted-groups``)
for the demo and the tests: residents in planted groups voting on comments whose kind
(consensus, divisive, a group's own, background) decides how each group votes
(``planted.plant``), so that the opinion groups page has something true to find.

Rows are inserted as plain rows in batches (no ORM objects per vote). The residents get
addresses under ``ryhmat.example.invalid`` and an unusable password: they cannot log in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.analysis.planted import BACKGROUND, CONSENSUS, DIVISIVE, OWN, Planted, plant
from eraati.consultations.counters import recount
from eraati.consultations.models import (
    Comment,
    CommentSource,
    CommentStatus,
    CommentVote,
    Topic,
    TopicStatus,
    TopicTranslation,
    VoteValue,
)
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.organisations.models import Organisation

SLUG = "keskustan-kehittaminen"
EMAIL_DOMAIN = "ryhmat.example.invalid"
_VALUES = {1: VoteValue.AGREE, -1: VoteValue.DISAGREE, 0: VoteValue.PASS}

TITLES = {
    "fi": ("Kaupungin keskustan kehittäminen", "Millainen keskustan pitäisi olla vuonna 2035?"),
    "sv": ("Utvecklingen av stadens centrum", "Hurdant borde centrum vara år 2035?"),
    "en": ("Developing the town centre", "What should the centre be like in 2035?"),
}
# Comment texts by planted kind (Finnish, the demo organisation's language).
TEXTS = {
    CONSENSUS: [
        "Torille tarvitaan lisää penkkejä ja varjoisia paikkoja kesäksi.",
        "Keskustan tyhjät liiketilat pitäisi antaa purkuun ilman suunnitelmaa.",
        "Kirjaston aukioloaikoja iltaisin pitää pidentää.",
        "Keskustan katuvalaistus on hyvässä kunnossa eikä vaadi mitään.",
    ],
    DIVISIVE: [
        "Keskustan läpiajo autolla pitää kieltää kokonaan.",
        "Kävelykatu vie asiakkaat keskustan kaupoilta marketteihin.",
        "Torin alle kannattaa rakentaa pysäköintihalli.",
        "Uusia kerrostaloja ei pidä rakentaa keskustaan.",
    ],
    OWN: [
        [
            "Torin laidalle leikkipuisto, niin lapsiperheet tulevat keskustaan.",
            "Kesäisin keskustaan lisää tapahtumia lapsille.",
            "Rattailla pitää päästä kaikkialle ilman portaita.",
        ],
        [
            "Kahden tunnin ilmainen pysäköinti pitää säilyttää.",
            "Jakeluautoille oma lastausalue jokaiseen kortteliin.",
            "Pysäköintimaksut karkottavat asiakkaat keskustasta.",
        ],
        [
            "Keskustaan lisää katupuita ja viherkattoja.",
            "Pyöräkaistat erotettava ajoradasta reunakivellä.",
            "Sadevedet ohjattava sadepuutarhoihin eikä viemäriin.",
        ],
        [
            "Ikäihmisille lisää levähdyspaikkoja kauppojen väliin.",
            "Palvelulinja keskustaan myös iltaisin.",
            "Talvikunnossapito on tärkeintä kävelyn kannalta.",
        ],
    ],
    BACKGROUND: [
        "Torikahvila pitäisi pitää auki myös talvella.",
        "Keskustan kortteleihin kaivataan lisää asuntoja nuorille.",
        "Kaupungintalon puisto on liian pimeä iltaisin.",
        "Vanhat puutalot pitää suojella.",
        "Keskustan koulun pihan voisi avata kaikille iltaisin.",
        "Kesätori voisi olla auki myös sunnuntaisin.",
        "Kaupan aukioloja ei pidä säädellä.",
        "Linja-autoasema kuuluu keskustaan.",
        "Katutaidetta saisi olla enemmän.",
        "Keskustan kuntosali kannattaa siirtää uimahallin yhteyteen.",
        "Pienyrittäjille edullisia tiloja keskustasta.",
        "Rantaan kävelyreitti torilta.",
        "Torin valaistus pitäisi uusia.",
        "Kaupunkipyöriä keskustaan kesäksi.",
        "Keskustan nopeusrajoitus 30 km/h.",
        "Joulutori on keskustan paras tapahtuma.",
        "Kirjasto voisi muuttaa kauppakeskukseen.",
        "Ravintoloille lisää terassitilaa kadulle.",
        "Torin lipputangot tarvitsevat uudet liput.",
        "Keskustaan yleinen sauna.",
        "Tapahtumien melua pitää rajoittaa iltaisin.",
        "Paikallisbussi keskustan ja sairaalan välille.",
        "Kaupungin pitäisi ostaa tyhjiä liiketiloja.",
        "Keskustan opasteita pitää parantaa.",
        "Kauppahalli kaipaa remonttia.",
        "Vesiaihe torille.",
        "Lisää roska-astioita ja niiden tyhjennystä.",
        "Talviaikaan torille luistinrata.",
        "Keskustan kiinteistöjen julkisivut kaipaavat kunnostusta.",
        "Torin laidalle pysäkki kaukoliikenteen busseille.",
        "Nuorille oma kokoontumistila keskustaan.",
        "Kevyen liikenteen väylät auki ympäri vuoden.",
    ],
}


@dataclass(frozen=True)
class PlantedTopic:
    topic: Topic
    planted: Planted
    user_ids: np.ndarray  # the user id of planted participant key i + 1
    comment_ids: np.ndarray  # the comment id of planted comment j + 1


def _texts(planted: Planted) -> list[str]:
    used = {kind: 0 for kind in TEXTS}
    own_used: dict[int, int] = {}
    out = []
    for j, kind in enumerate(planted.kind):
        if kind == OWN:
            g = int(planted.owner[j])
            pool = TEXTS[OWN][g % len(TEXTS[OWN])]
            i = own_used.get(g, 0)
            own_used[g] = i + 1
        else:
            pool = TEXTS[kind]
            i = used[kind]
            used[kind] = i + 1
        text = pool[i % len(pool)]
        out.append(text if i < len(pool) else f"{text} ({i // len(pool) + 1})")
    return out


def add_planted_topic(
    org: Organisation,
    *,
    participants: int = 300,
    comments: int = 40,
    groups: int = 3,
    density: float = 0.6,
    seed: int = 0,
    slug: str = SLUG,
    now=None,
) -> PlantedTopic:
    """A closed topic of ``org`` whose votes come from ``plant`` (same arguments, same
    votes). The caller commits; computing the groups is ``runs.ask`` after that."""
    from eraati.accounts.passwords import hash_password

    now = now or utcnow()
    # Residents who hold their views firmly (the planted default is vaguer): the groups
    # are then clear on a topic of a demo's size (ARI 1.0 at 300 x 40, seeds 0-3).
    planted = plant(
        participants, comments, groups, density, seed, follow=0.9, background_follow=0.9
    )
    topic = Topic(
        organisation=org,
        slug=slug,
        status=TopicStatus.OPEN,
        opens_at=now - timedelta(days=35),
        closes_at=now - timedelta(days=1),
        case_number="KH/2035/2026",
        created_at=now - timedelta(days=40),
    )
    if hasattr(Topic, "offers_rating"):  # the comment rating of issue 18, where present
        topic.offers_rating = True
    for locale, (title, summary) in TITLES.items():
        if locale in org.language_list:
            topic.translations.append(
                TopicTranslation(
                    locale=locale,
                    title=title,
                    summary=summary,
                    body=f"<p>{summary}</p>",
                    deciding_body="",
                )
            )
    db.session.add(topic)
    db.session.flush()

    unusable = hash_password(f"!{seed}-{now.timestamp()}")
    run = f"{org.slug}-{slug}"
    user_ids = np.array(
        db.session.scalars(
            sa.insert(User).returning(User.id, sort_by_parameter_order=True),
            [
                {
                    "email": f"{run}-{i + 1}@{EMAIL_DOMAIN}",
                    "password_hash": unusable,
                    "display_name": f"Asukas {i + 1}",
                    "locale": org.primary_language,
                    "email_verified_at": now - timedelta(days=60),
                    "created_at": now - timedelta(days=60),
                }
                for i in range(participants)
            ],
        ).all(),
        dtype=np.int64,
    )
    rng = np.random.default_rng(seed)
    authors = rng.choice(user_ids, size=comments)
    texts = _texts(planted)
    comment_ids = np.array(
        db.session.scalars(
            sa.insert(Comment).returning(Comment.id, sort_by_parameter_order=True),
            [
                {
                    "topic_id": topic.id,
                    "author_id": int(authors[j]),
                    "body": texts[j],
                    "language": "fi",
                    "status": CommentStatus.VISIBLE,
                    "source": CommentSource.WEB,
                    "created_at": now - timedelta(days=34, hours=-j),
                }
                for j in range(comments)
            ],
        ).all(),
        dtype=np.int64,
    )
    v = planted.votes
    voters = user_ids[v.participant - 1]
    on = comment_ids[v.comment - 1]
    own = authors[v.comment - 1] == voters  # a writer does not vote on their own comment
    moment = now - timedelta(days=20)
    rows = [
        {
            "comment_id": int(c),
            "user_id": int(u),
            "value": _VALUES[int(x)],
            "created_at": moment,
            "updated_at": moment,
        }
        for u, c, x in zip(voters[~own], on[~own], v.value[~own], strict=True)
    ]
    for start in range(0, len(rows), 5000):
        db.session.execute(sa.insert(CommentVote), rows[start : start + 5000])
    recount([topic.id])
    db.session.flush()
    return PlantedTopic(topic, planted, user_ids, comment_ids)
