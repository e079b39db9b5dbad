"""Follows: drop told_at; the results e-mail is a notification like every other kind
(``notifications``, kind 'results', one row per follower and topic)

Revision ID: c4d81e2f9a60
Revises: a19c0f3e5d21
Create Date: 2026-12-07 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import eraati.core.db


# revision identifiers, used by Alembic.
revision = 'c4d81e2f9a60'
down_revision = 'a19c0f3e5d21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.drop_column('told_at')


def downgrade():
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.add_column(sa.Column('told_at', eraati.core.db.UTCDateTime(timezone=True), nullable=True))
    # What was announced before: as the column's own migration set it.
    op.execute(
        "UPDATE follows SET told_at = (SELECT results_published_at FROM topics "
        "WHERE topics.id = follows.topic_id) "
        "WHERE topic_id IN (SELECT id FROM topics WHERE results_published_at IS NOT NULL)"
    )
