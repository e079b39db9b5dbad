"""Follows: told_at, when the follower was told that the results are out

Revision ID: 8e41c0d5a2b7
Revises: 3b9d2f7c1e04
Create Date: 2026-12-04 18:15:00

"""
from alembic import op
import sqlalchemy as sa

import eraati.core.db


# revision identifiers, used by Alembic.
revision = '8e41c0d5a2b7'
down_revision = '3b9d2f7c1e04'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.add_column(sa.Column('told_at', eraati.core.db.UTCDateTime(timezone=True), nullable=True))
    # Results published before this column existed were announced then.
    op.execute(
        "UPDATE follows SET told_at = (SELECT results_published_at FROM topics "
        "WHERE topics.id = follows.topic_id) "
        "WHERE topic_id IN (SELECT id FROM topics WHERE results_published_at IS NOT NULL)"
    )


def downgrade():
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.drop_column('told_at')
