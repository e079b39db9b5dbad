"""Theme suggestion decisions: a moderator's accepted or rejected suggested theme per comment (eraati/curation/models.py)

Revision ID: e3f18a6c2b90
Revises: e4b1c7a9d2f6
Create Date: 2026-12-07 04:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import eraati.core.db


# revision identifiers, used by Alembic.
revision = 'e3f18a6c2b90'
down_revision = 'e4b1c7a9d2f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('theme_suggestion_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum('accepted', 'rejected', name='decision', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('decided_at', eraati.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_theme_suggestion_decisions_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_theme_suggestion_decisions_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_suggestion_decisions')),
    sa.UniqueConstraint('comment_id', 'theme_id', name=op.f('uq_theme_suggestion_decisions_comment_id_theme_id'))
    )
    with op.batch_alter_table('theme_suggestion_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_suggestion_decisions_theme_id'), ['theme_id'], unique=False)


def downgrade():
    with op.batch_alter_table('theme_suggestion_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_suggestion_decisions_theme_id'))
    op.drop_table('theme_suggestion_decisions')
