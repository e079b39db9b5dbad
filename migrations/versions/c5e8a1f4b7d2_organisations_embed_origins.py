"""Sites allowed to frame an organisation's consultation card (organisations.embed_origins)

Revision ID: c5e8a1f4b7d2
Revises: a19c0f3e5d21
Create Date: 2026-12-07 11:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5e8a1f4b7d2'
down_revision = 'a19c0f3e5d21'
branch_labels = None
depends_on = None


def upgrade():
    # A JSON list of origins such as ["https://www.iisalmi.fi"]; NULL: none.
    op.add_column('organisations', sa.Column('embed_origins', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('organisations') as batch_op:
        batch_op.drop_column('embed_origins')
