"""Stored poll tallies (poll_tallies: people per question, option and scale value, a
ranking's sums of places) kept as the answers change, filled here from the answers; and
an index for the newest open answers of a question, and one for the background answers
of an anonymised participant (the recount meets them by it).

Revision ID: b21e5f6a7b8c
Revises: b21a1b2c3d4e
Create Date: 2026-12-07 21:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b21e5f6a7b8c'
down_revision = 'b21a1b2c3d4e'
branch_labels = None
depends_on = None


# What the tallies should be, from the answers, for everyone ('') and per background
# question ('age', 'relation', 'municipality': the person's stored code in the topic, ''
# for none); as eraati.consultations.tallies.counted was written (a copy, so that later
# changes there do not change this migration).
PEOPLE = """
SELECT a.id AS answer_id, a.question_id, a.value,
       COALESCE(b.age_group, p.age_group, '') AS age,
       COALESCE(b.relation, p.relation, '') AS relation,
       COALESCE(b.municipality_code, p.municipality_code, '') AS municipality
FROM answers a
JOIN questions q ON q.id = a.question_id
LEFT OUTER JOIN background_answers b ON b.topic_id = q.topic_id AND b.user_id = a.user_id
LEFT OUTER JOIN background_answers p ON a.user_id IS NULL AND p.topic_id = q.topic_id
    AND p.participant_id = a.participant_id
"""


def _fill_sql() -> str:
    parts = []
    for dimension in ('', 'age', 'relation', 'municipality'):
        grp = "''" if not dimension else f'p.{dimension}'
        by = '' if not dimension else f', p.{dimension}'
        parts += [
            f"SELECT p.question_id, '{dimension}', {grp}, c.option_id, "
            "SUM(CASE WHEN c.rank IS NULL OR c.rank = 1 THEN 1 ELSE 0 END), "
            f"COALESCE(SUM(c.rank), 0) FROM ({PEOPLE}) p "
            f"JOIN answer_choices c ON c.answer_id = p.answer_id "
            f"GROUP BY p.question_id{by}, c.option_id",
            f"SELECT p.question_id, '{dimension}', {grp}, 0, COUNT(*), 0 FROM ({PEOPLE}) p "
            f"GROUP BY p.question_id{by}",
            f"SELECT p.question_id, '{dimension}', {grp}, p.value, COUNT(*), 0 "
            f"FROM ({PEOPLE}) p WHERE p.value IS NOT NULL GROUP BY p.question_id{by}, p.value",
        ]
    return (
        'INSERT INTO poll_tallies (question_id, dimension, grp, item, n, rank_sum) '
        + ' UNION ALL '.join(parts)
    )


def upgrade():
    op.create_table(
        'poll_tallies',
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('dimension', sa.String(length=20), server_default='', nullable=False),
        sa.Column('grp', sa.String(length=20), server_default='', nullable=False),
        sa.Column('item', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('n', sa.Integer(), server_default='0', nullable=False),
        sa.Column('rank_sum', sa.Integer(), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(
            ['question_id'], ['questions.id'],
            name=op.f('fk_poll_tallies_question_id_questions'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('question_id', 'dimension', 'grp', 'item', name=op.f('pk_poll_tallies')),
    )
    with op.batch_alter_table('background_answers', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_background_answers_participant_id'), ['participant_id'], unique=False
        )
    op.execute(_fill_sql())
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index(
            'ix_answers_open_newest', ['question_id', 'updated_at', 'id'], unique=False,
            postgresql_where=sa.text('text IS NOT NULL'), sqlite_where=sa.text('text IS NOT NULL'),
        )


def downgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index(
            'ix_answers_open_newest',
            postgresql_where=sa.text('text IS NOT NULL'), sqlite_where=sa.text('text IS NOT NULL'),
        )
    op.drop_table('poll_tallies')
    with op.batch_alter_table('background_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_background_answers_participant_id'))
