"""Comments: hidden_note_lang, the language of the moderator's note on a hidden comment

Revision ID: d3a7e1f09b52
Revises: 0ae960b429ff
Create Date: 2026-12-06 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3a7e1f09b52'
down_revision = '0ae960b429ff'
branch_labels = None
depends_on = None


def upgrade():
    # Notes written before this column existed have no known language: they stay unmarked.
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_note_lang', sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('hidden_note_lang')
