"""Surveys: open, scale and ranking questions, required questions; an answer's text
(open), value (scale) and moderation; a ranking answer's rank per option

Revision ID: b20c3d4e5f6a
Revises: c20d3e4f5a6b
Create Date: 2026-12-07 17:50:00

"""
from alembic import op
import sqlalchemy as sa

import eraati.core.db


# revision identifiers, used by Alembic.
revision = 'b20c3d4e5f6a'
down_revision = 'c20d3e4f5a6b'
branch_labels = None
depends_on = None

OLD_KINDS = ('single', 'multiple')
NEW_KINDS = ('single', 'multiple', 'open', 'scale', 'ranking')


def _kinds(values):
    return "kind IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    # The kind's CHECK lists the kinds: replaced (SQLite copies "questions", which no
    # trigger or full-text index hangs on; env.py turns foreign keys off meanwhile).
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_questions_questionkind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_questions_questionkind'), _kinds(NEW_KINDS))
        batch_op.add_column(
            sa.Column('required', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column('max_length', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('scale_labels', sa.JSON(), nullable=True))
    op.add_column('answers', sa.Column('text', sa.Text(), nullable=True))
    op.add_column('answers', sa.Column('value', sa.SmallInteger(), nullable=True))
    op.add_column(
        'answers', sa.Column('hidden_at', eraati.core.db.UTCDateTime(timezone=True), nullable=True)
    )
    op.add_column('answers', sa.Column('hidden_by_id', sa.Integer(), nullable=True))
    op.add_column('answers', sa.Column('hidden_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_answers_hidden_by_id_users'), 'users', ['hidden_by_id'], ['id'],
            ondelete='SET NULL',
        )
    op.add_column('answer_choices', sa.Column('rank', sa.SmallInteger(), nullable=True))
    op.create_index(
        'ux_answer_choices_answer_rank', 'answer_choices', ['answer_id', 'rank'], unique=True
    )


def downgrade():
    op.drop_index('ux_answer_choices_answer_rank', table_name='answer_choices')
    with op.batch_alter_table('answer_choices', schema=None) as batch_op:
        batch_op.drop_column('rank')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_answers_hidden_by_id_users'), type_='foreignkey')
        batch_op.drop_column('hidden_reason')
        batch_op.drop_column('hidden_by_id')
        batch_op.drop_column('hidden_at')
        batch_op.drop_column('value')
        batch_op.drop_column('text')
    op.execute("DELETE FROM questions WHERE kind NOT IN ('single', 'multiple')")
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('scale_labels')
        batch_op.drop_column('max_length')
        batch_op.drop_column('required')
        batch_op.drop_constraint(op.f('ck_questions_questionkind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_questions_questionkind'), _kinds(OLD_KINDS))
