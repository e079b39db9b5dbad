"""Follows: drop told_at; the results e-mail is a notification like every other kind
(``notifications``, kind 'results', one row per follower and topic)

Revision ID: c4d81e2f9a60
Revises: c5e8a1f4b7d2
Create Date: 2026-12-07 12:00:00.000000

"""

from alembic import op
import sqlalchemy as sa

import eraati.core.db


# revision identifiers, used by Alembic.
revision = "c4d81e2f9a60"
down_revision = "c5e8a1f4b7d2"
branch_labels = None
depends_on = None


def upgrade():
    # Followers of results published in the last week whom the old sending had not told
    # yet (told_at empty) are carried over as due notifications: nobody is skipped.
    op.execute(
        "INSERT INTO notifications (user_id, kind, key, topic_id, digest, created_at, due_at, attempts) "
        "SELECT follows.user_id, 'results', 't' || follows.topic_id, follows.topic_id, false, "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0 "
        "FROM follows JOIN topics ON topics.id = follows.topic_id "
        "JOIN users ON users.id = follows.user_id "
        "WHERE follows.told_at IS NULL AND topics.results_published_at IS NOT NULL "
        "AND topics.results_published_at > CURRENT_TIMESTAMP - INTERVAL '7 days' "
        "AND users.email_verified_at IS NOT NULL"
        if op.get_bind().dialect.name == "postgresql"
        else "INSERT INTO notifications (user_id, kind, key, topic_id, digest, created_at, due_at, attempts) "
        "SELECT follows.user_id, 'results', 't' || follows.topic_id, follows.topic_id, 0, "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0 "
        "FROM follows JOIN topics ON topics.id = follows.topic_id "
        "JOIN users ON users.id = follows.user_id "
        "WHERE follows.told_at IS NULL AND topics.results_published_at IS NOT NULL "
        "AND topics.results_published_at > datetime('now', '-7 days') "
        "AND users.email_verified_at IS NOT NULL"
    )
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.drop_column("told_at")


def downgrade():
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("told_at", eraati.core.db.UTCDateTime(timezone=True), nullable=True)
        )
    # What was announced before: as the column's own migration set it.
    op.execute(
        "UPDATE follows SET told_at = (SELECT results_published_at FROM topics "
        "WHERE topics.id = follows.topic_id) "
        "WHERE topic_id IN (SELECT id FROM topics WHERE results_published_at IS NOT NULL)"
    )
