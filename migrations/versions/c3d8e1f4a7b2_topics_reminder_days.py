"""Topics: reminder_days, how many days before closing the followers who chose reminders
are told that the consultation closes soon (0: no reminder)

Revision ID: c3d8e1f4a7b2
Revises: c4e2a7d91f30
Create Date: 2026-12-07 11:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d8e1f4a7b2'
down_revision = 'c4e2a7d91f30'
branch_labels = None
depends_on = None


def upgrade():
    # ALTER TABLE ... ADD COLUMN on both databases (no copy of "topics" on SQLite).
    op.add_column(
        'topics', sa.Column('reminder_days', sa.Integer(), server_default='3', nullable=False)
    )


def downgrade():
    # recreate='never': copying "topics" on SQLite would cascade-delete its rows.
    with op.batch_alter_table('topics', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('reminder_days')
