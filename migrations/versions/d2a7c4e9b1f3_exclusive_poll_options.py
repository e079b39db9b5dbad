"""Options: exclusive, an option chosen only alone ("none of these")

Revision ID: d2a7c4e9b1f3
Revises: 5c1f0a9d7e62
Create Date: 2026-12-06 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2a7c4e9b1f3'
down_revision = '5c1f0a9d7e62'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('options', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('exclusive', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('options', schema=None) as batch_op:
        batch_op.drop_column('exclusive')
