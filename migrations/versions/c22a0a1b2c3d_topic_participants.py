"""The register of each topic's participants (topic_participants: per person, how many of
their acts the results count) and its counts of people (topic_participant_counts), kept
as people act; filled here from the rows.

Revision ID: c22a0a1b2c3d
Revises: b21e5f6a7b8c
Create Date: 2026-12-08 00:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c22a0a1b2c3d'
down_revision = 'b21e5f6a7b8c'
branch_labels = None
depends_on = None


# Every act the results count, as eraati.consultations.participants.acts was written (a
# copy, so that later changes there do not change this migration): shown comments of
# registered writers (not official replies), votes on shown comments, stances, answers.
# A person is the account's id, or minus the anonymised participant's id.
ACTS = """
SELECT c.topic_id, 'comment' AS kind, COALESCE(c.author_id, -c.participant_id) AS person
FROM comments c
WHERE c.status = 'visible' AND c.is_official = {false}
  AND COALESCE(c.author_id, -c.participant_id) IS NOT NULL
UNION ALL
SELECT c.topic_id, 'vote', COALESCE(v.user_id, -v.participant_id)
FROM comment_votes v JOIN comments c ON c.id = v.comment_id
WHERE c.status = 'visible' AND COALESCE(v.user_id, -v.participant_id) IS NOT NULL
UNION ALL
SELECT s.topic_id, 'stance', COALESCE(s.user_id, -s.participant_id)
FROM topic_stances s WHERE COALESCE(s.user_id, -s.participant_id) IS NOT NULL
UNION ALL
SELECT q.topic_id, 'poll', COALESCE(a.user_id, -a.participant_id)
FROM answers a JOIN questions q ON q.id = a.question_id
WHERE COALESCE(a.user_id, -a.participant_id) IS NOT NULL
"""

FILL_REGISTER = """
INSERT INTO topic_participants (topic_id, person, comments, votes, stances, answers)
SELECT acts.topic_id, acts.person,
       SUM(CASE WHEN acts.kind = 'comment' THEN 1 ELSE 0 END),
       SUM(CASE WHEN acts.kind = 'vote' THEN 1 ELSE 0 END),
       SUM(CASE WHEN acts.kind = 'stance' THEN 1 ELSE 0 END),
       SUM(CASE WHEN acts.kind = 'poll' THEN 1 ELSE 0 END)
FROM ({acts}) acts
GROUP BY acts.topic_id, acts.person
"""

FILL_COUNTS = """
INSERT INTO topic_participant_counts
    (topic_id, people, commenters, voters, stance_takers, respondents)
SELECT topic_id, COUNT(*),
       SUM(CASE WHEN comments > 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN votes > 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN stances > 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN answers > 0 THEN 1 ELSE 0 END)
FROM topic_participants
GROUP BY topic_id
"""


def upgrade():
    op.create_table(
        'topic_participants',
        sa.Column('topic_id', sa.Integer(), nullable=False),
        sa.Column('person', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('comments', sa.Integer(), server_default='0', nullable=False),
        sa.Column('votes', sa.Integer(), server_default='0', nullable=False),
        sa.Column('stances', sa.Integer(), server_default='0', nullable=False),
        sa.Column('answers', sa.Integer(), server_default='0', nullable=False),
        sa.CheckConstraint(
            'comments >= 0 AND votes >= 0 AND stances >= 0 AND answers >= 0',
            name=op.f('ck_topic_participants_participant_counts_not_negative'),
        ),
        sa.ForeignKeyConstraint(
            ['topic_id'], ['topics.id'],
            name=op.f('fk_topic_participants_topic_id_topics'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('topic_id', 'person', name=op.f('pk_topic_participants')),
    )
    op.create_index('ix_topic_participants_person', 'topic_participants', ['person'], unique=False)
    op.create_table(
        'topic_participant_counts',
        sa.Column('topic_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('people', sa.Integer(), server_default='0', nullable=False),
        sa.Column('commenters', sa.Integer(), server_default='0', nullable=False),
        sa.Column('voters', sa.Integer(), server_default='0', nullable=False),
        sa.Column('stance_takers', sa.Integer(), server_default='0', nullable=False),
        sa.Column('respondents', sa.Integer(), server_default='0', nullable=False),
        sa.CheckConstraint(
            'people >= 0 AND commenters >= 0 AND voters >= 0 AND stance_takers >= 0 '
            'AND respondents >= 0',
            name=op.f('ck_topic_participant_counts_people_counts_not_negative'),
        ),
        sa.ForeignKeyConstraint(
            ['topic_id'], ['topics.id'],
            name=op.f('fk_topic_participant_counts_topic_id_topics'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('topic_id', name=op.f('pk_topic_participant_counts')),
    )
    false = 'false' if op.get_bind().dialect.name == 'postgresql' else '0'
    op.execute(FILL_REGISTER.format(acts=ACTS.format(false=false)))
    op.execute(FILL_COUNTS)


def downgrade():
    op.drop_table('topic_participant_counts')
    op.drop_index('ix_topic_participants_person', table_name='topic_participants')
    op.drop_table('topic_participants')
