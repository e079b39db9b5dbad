"""Organisations choose whether a topic's opinion groups are shown with its published results (organisations.opinion_groups_public)

Revision ID: b7e4c2a9d310
Revises: e3f18a6c2b90
Create Date: 2026-12-07 04:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e4c2a9d310'
down_revision = 'e3f18a6c2b90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opinion_groups_public', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('opinion_groups_public')
