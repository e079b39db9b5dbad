"""The demo's topic on a map (``flask eraati seed-demo``): Iisalmi's town-centre traffic
plan, with its area, named crossings and comments placed at them or at points of their
own; and Iisalmi's map tiles (OpenStreetMap's, with its attribution). Idempotent: an
existing topic is left as it is; tiles an admin has set are kept."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from eraati.consultations.models import (
    Comment,
    CommentStatus,
    Topic,
    TopicStatus,
    TopicTranslation,
)
from eraati.extensions import db
from eraati.organisations.models import Organisation
from eraati.places.models import TopicMap, TopicPlace

ORG, TOPIC = "iisalmi", "keskustan-liikennesuunnitelma"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
AREA = (63.5480, 27.1700, 63.5700, 27.2150)  # south, west, north, east

TEXTS = {
    "fi": (
        "Iisalmen keskustan liikennesuunnitelma",
        "Miten keskustassa kuljetaan kävellen, pyörällä ja autolla? Kerro, missä kohdassa "
        "liikenne toimii ja missä ei.",
        "<p>Kaupunki laatii keskustan liikennesuunnitelman vuosille 2027–2035. Suunnitelmassa "
        "päätetään suojateistä, pyöräteistä, pysäköinnistä ja risteysten järjestelyistä.</p>"
        "<p>Kerro kommentissasi, mitä paikkaa se koskee: valitse paikka luettelosta tai "
        "napsauta kohtaa kartalla. Voit kommentoida myös ilman paikkaa.</p>",
    ),
    "sv": (
        "Trafikplan för Idensalmi centrum",
        "Hur tar man sig fram till fots, med cykel och bil i centrum? Berätta var trafiken "
        "fungerar och var den inte gör det.",
        "<p>Staden utarbetar en trafikplan för centrum för åren 2027–2035. Planen gäller "
        "övergångsställen, cykelvägar, parkering och korsningar.</p>"
        "<p>Berätta i din kommentar vilken plats den gäller: välj en plats i listan eller "
        "klicka på kartan. Du kan också kommentera utan plats.</p>",
    ),
}

# (fi, sv, en, lat, lon): crossings of Iisalmi's centre, near where they are.
PLACES = (
    ("Savonkadun ja Pohjolankadun risteys", "Korsningen Savonkatu–Pohjolankatu",
     "Savonkatu and Pohjolankatu crossing", 63.5609, 27.1903),
    ("Kauppatori", "Salutorget", "Market square", 63.5594, 27.1893),
    ("Rautatieaseman edusta", "Framför järnvägsstationen", "In front of the railway station",
     63.5641, 27.1852),
    ("Linja-autoaseman risteys", "Korsningen vid busstationen", "Bus station crossing",
     63.5619, 27.1871),
    ("Kirkkokadun ja Savonkadun risteys", "Korsningen Kirkkokatu–Savonkatu",
     "Kirkkokatu and Savonkatu crossing", 63.5574, 27.1924),
    ("Kivirannan silta", "Kivirantabron", "Kiviranta bridge", 63.5627, 27.1985),
    ("Savonkadun liikenneympyrä", "Rondellen på Savonkatu", "Savonkatu roundabout",
     63.5532, 27.1961),
)  # fmt: skip

# (place number or None, own point or None, text, language)
COMMENTS = (
    (1, None, "Suojatien kohdalla autot ajavat liian kovaa. Korotettu suojatie auttaisi.", "fi"),
    (1, None, "Pyörätie katkeaa risteykseen, eikä ole selvää, mihin pyöräilijän pitää mennä.",
     "fi"),
    (2, None, "Torin laidan pysäköinti on aamuisin täynnä. Lyhytaikainen pysäköinti riittäisi.",
     "fi"),
    (2, None, "Torille tarvitaan lisää pyörätelineitä, nyt pyörät ovat kulkuväylillä.", "fi"),
    (3, None, "Asemalta keskustaan kävellessä puuttuu valaistus junien saapumisaikaan illalla.",
     "fi"),
    (4, None, "Bussit kääntyvät ahtaasti ja jalankulkijat joutuvat odottamaan keskellä katua.",
     "fi"),
    (5, None, "Koululaiset ylittävät kadun tässä joka aamu. Liikennevalot olisivat turvallisemmat.",
     "fi"),
    (6, None, "Sillalla on kapea jalkakäytävä, talvella lumi kaventaa sen lähes umpeen.", "fi"),
    (7, None, "Övergångsstället vid rondellen syns dåligt i mörker. Bättre belysning behövs.",
     "sv"),
    (None, (63.5600, 27.1950), "Tässä kohdassa pihasta on vaikea ajaa kadulle, näkemä on huono.",
     "fi"),
    (None, (63.5585, 27.1870), "Tähän kulmaan tarvittaisiin penkki ja varjoisa levähdyspaikka.",
     "fi"),
    (None, None, "Hyvä, että keskustan liikenteestä kysytään. Kävelykeskusta kiinnostaa.",
     "fi"),
)  # fmt: skip


def _tiles(org: Organisation) -> None:
    if org.map_tile_url is None:
        org.map_tile_url, org.map_attribution = OSM_TILES, OSM_ATTRIBUTION


def seed(now: datetime, residents: list, admin) -> Topic | None:
    """Create the topic with its map, places and comments if it is missing; the topic
    made (the caller recounts its comments), else None."""
    org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == ORG))
    if org is None:
        return None
    _tiles(org)
    exists = db.session.scalar(
        sa.select(Topic.id).where(Topic.organisation_id == org.id, Topic.slug == TOPIC)
    )
    if exists is not None:
        return None
    topic = Topic(
        organisation=org,
        slug=TOPIC,
        status=TopicStatus.OPEN,
        opens_at=now - timedelta(days=12),
        closes_at=now + timedelta(days=23),
        case_number="IIS/812/10.03.01/2026",
        allow_anonymous=False,
        stances_enabled=True,
        created_at=now - timedelta(days=20),
        created_by_id=getattr(admin, "id", None),
    )
    for locale, (title, summary, body) in TEXTS.items():
        topic.translations.append(
            TopicTranslation(
                locale=locale,
                title=title,
                summary=summary,
                body=body,
                deciding_body="Tekninen lautakunta" if locale == "fi" else "Tekniska nämnden",
            )
        )
    db.session.add(topic)
    db.session.flush()
    south, west, north, east = AREA
    db.session.add(TopicMap(topic_id=topic.id, south=south, west=west, north=north, east=east))
    places = []
    for position, (fi, sv, en, lat, lon) in enumerate(PLACES, 1):
        place = TopicPlace(
            topic_id=topic.id, position=position, name_fi=fi, name_sv=sv, name_en=en,
            lat=lat, lon=lon,
        )  # fmt: skip
        db.session.add(place)
        places.append(place)
    db.session.flush()
    for i, (number, point, text, language) in enumerate(COMMENTS):
        author = residents[i % len(residents)]
        db.session.add(
            Comment(
                topic_id=topic.id,
                author_id=author.id,
                body=text,
                language=language,
                status=CommentStatus.VISIBLE,
                created_at=topic.opens_at + timedelta(days=1 + i // 2, hours=3 * (i % 4)),
                place_id=places[number - 1].id if number else None,
                lat=point[0] if point else None,
                lon=point[1] if point else None,
            )
        )
    db.session.flush()
    return topic
