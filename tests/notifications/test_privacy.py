"""What the notifications keep about a person, and for how long."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from eraati.core.time import utcnow
from eraati.notifications.models import Kind, Notification
from eraati.retention import services as retention
from eraati.retention.coverage import NOTIFICATION_KEEP


def test_records_of_sent_e_mails_go_after_the_keeping_time_and_waiting_ones_stay(
    db, open_topic, resident
):
    now = utcnow()
    old = now - NOTIFICATION_KEEP - timedelta(hours=1)
    recent = now - NOTIFICATION_KEEP + timedelta(hours=1)
    rows = {
        "sent long ago": Notification(user_id=resident.id, kind=Kind.REPLY, key="c1", sent_at=old),
        "failed long ago": Notification(
            user_id=resident.id, kind=Kind.REPLY, key="c2", failed_at=old
        ),
        "sent lately": Notification(user_id=resident.id, kind=Kind.REPLY, key="c3", sent_at=recent),
        "waiting": Notification(user_id=resident.id, kind=Kind.REPLY, key="c4", created_at=old),
    }
    db.session.add_all(rows.values())
    db.session.commit()
    assert retention.remove_old_notifications(now=now) == 2
    db.session.commit()
    left = set(db.session.scalars(sa.select(Notification.key)))
    assert left == {"c3", "c4"}
