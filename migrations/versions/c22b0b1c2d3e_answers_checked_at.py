"""answers.checked_at: when a moderator last looked at an open survey answer (marked it
checked, hid it or restored it). An open answer waits for a look while it has a text, is
not hidden and was written or changed after that (the moderation's open answers list).

Revision ID: c22b0b1c2d3e
Revises: b21e5f6a7b8c
Create Date: 2026-12-07 23:55:00

"""
from alembic import op
import sqlalchemy as sa

import eraati.core.db


# revision identifiers, used by Alembic.
revision = 'c22b0b1c2d3e'
down_revision = 'b21e5f6a7b8c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_at', eraati.core.db.UTCDateTime(timezone=True), nullable=True))
    # A hidden answer was looked at when it was hidden.
    op.execute("UPDATE answers SET checked_at = hidden_at WHERE hidden_at IS NOT NULL")


def downgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_column('checked_at')
