"""Parts for the tests of eraati.parts."""

from __future__ import annotations

from eraati.consultations import services as topic_services
from eraati.consultations.models import Topic
from eraati.parts import services

BODY_FI = (
    "<h2>Tausta</h2><p>Ensimmäinen kappale kertoo taustan.</p>"
    "<p>Toinen kappale kertoo tavoitteen.</p>"
    "<ul><li>Kolmas: luettelon kohta.</li><li>Neljäs: toinen kohta.</li></ul>"
)
BODY_SV = (
    "<h2>Bakgrund</h2><p>Första stycket berättar om bakgrunden.</p>"
    "<p>Andra stycket berättar om målet.</p>"
    "<ul><li>Tredje: en punkt.</li><li>Fjärde: en annan punkt.</li></ul>"
)


def make_parts(topic: Topic, count: int = 3, *, sv: bool = False) -> list:
    parts = []
    for n in range(1, count + 1):
        texts = {"fi": (f"Osa {n}", BODY_FI)}
        if sv:
            texts["sv"] = (f"Del {n}", BODY_SV)
        parts.append(services.add_part(topic, texts))
    return parts


def comment_on(topic, part, author, body="Kommentti", paragraph=None, quote=None, **kw):
    return topic_services.post_comment(
        topic,
        author,
        body,
        part_id=part.id,
        paragraph=paragraph,
        paragraph_quote=quote,
        **kw,
    )
