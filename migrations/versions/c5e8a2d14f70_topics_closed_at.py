"""Topics: closed_at, when an admin closed the consultation before its deadline

Closing early kept only the planned deadline (closes_at), so the topic page, the results
and the report gave the planned date as the end. Topics closed early before this revision
get the moment from their audit event (topic.close with "early": true), which has always
been written with the act.

Revision ID: c5e8a2d14f70
Revises: 7e007d08944c
Create Date: 2026-12-07 01:30:00

"""
import json
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import eraati.core.db


# revision identifiers, used by Alembic.
revision = 'c5e8a2d14f70'
down_revision = '7e007d08944c'
branch_labels = None
depends_on = None


def _aware(moment):
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def upgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('closed_at', eraati.core.db.UTCDateTime(timezone=True), nullable=True)
        )

    conn = op.get_bind()
    meta = sa.MetaData()
    topics = sa.Table('topics', meta, autoload_with=conn)
    events = sa.Table('audit_events', meta, autoload_with=conn)
    rows = conn.execute(
        sa.select(events.c.target_id, events.c.details, events.c.created_at)
        .where(events.c.action == 'topic.close', events.c.target_type == 'Topic')
        .order_by(events.c.id)
    ).all()
    for topic_id, details, created_at in rows:
        if isinstance(details, str):
            details = json.loads(details)
        if not (details or {}).get('early') or topic_id is None:
            continue
        moment = _aware(created_at)
        if conn.dialect.name == 'sqlite':
            moment = moment.replace(tzinfo=None)
        conn.execute(
            topics.update()
            .where(topics.c.id == topic_id, topics.c.closed_at.is_(None))
            .values(closed_at=moment)
        )


def downgrade():
    # recreate='never': copying "topics" on SQLite would cascade-delete its rows.
    with op.batch_alter_table('topics', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('closed_at')
