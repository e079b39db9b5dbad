"""A notification about a comment on a part links to the part's page."""

from eraati.consultations import services as topic_services
from eraati.extensions import db
from eraati.notifications.kinds import comment_link
from tests.parts.support import comment_on, make_parts


def test_a_reply_on_a_part_links_to_the_part(app, open_topic, resident, other_resident):
    _first, second = make_parts(open_topic, 2)
    root = comment_on(open_topic, second, resident)
    reply = topic_services.post_comment(open_topic, other_resident, "Vastaus", parent=root)
    general = topic_services.post_comment(open_topic, other_resident, "Yleinen")
    db.session.commit()
    assert comment_link(reply, "fi").endswith(
        f"/keitele/kirjaston-aukioloajat/parts/2?lang=fi#c{reply.id}"
    )
    assert comment_link(general, "fi").endswith(
        f"/keitele/kirjaston-aukioloajat?lang=fi#c{general.id}"
    )
