"""Users: registration_token, the registration form's token (a double click makes one mail)

Revision ID: 202abbfc1ea5
Revises: b7d3e9f1a2c4
Create Date: 2026-12-06 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '202abbfc1ea5'
down_revision = 'b7d3e9f1a2c4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registration_token', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('registration_token')
