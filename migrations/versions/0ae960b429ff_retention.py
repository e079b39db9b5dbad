"""Retention: organisations' retention_months, topics' anonymised_at, anonymised participants

A topic's personal data is removed retention_months after its results are published: the
rows people left (comments, votes, stances, poll answers) then point at an
anonymised_participants row (pseudonym and home municipality) instead of the account, and
user_id of votes, stances, answers, follows and flags may be NULL.

Revision ID: 0ae960b429ff
Revises: b7d4e1a9c2f5
Create Date: 2026-12-06 21:47:31.632339

"""
from alembic import op
import sqlalchemy as sa

import eraati.core.db


# revision identifiers, used by Alembic.
revision = '0ae960b429ff'
down_revision = 'b7d4e1a9c2f5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('anonymised_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('pseudonym', sa.String(length=16), nullable=False),
    sa.Column('home_organisation_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['home_organisation_id'], ['organisations.id'], name=op.f('fk_anonymised_participants_home_organisation_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_anonymised_participants_topic_id_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_anonymised_participants'))
    )
    with op.batch_alter_table('anonymised_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_anonymised_participants_topic_id'), ['topic_id'], unique=False)

    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_answers_participant_id_anonymised_participants'), 'anonymised_participants', ['participant_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('comment_flags', schema=None) as batch_op:
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=True)

    with op.batch_alter_table('comment_votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_comment_votes_participant_id_anonymised_participants'), 'anonymised_participants', ['participant_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_comments_participant_id_anonymised_participants'), 'anonymised_participants', ['participant_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=True)

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_months', sa.Integer(), server_default='24', nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_organisations_retention_months_in_range'), 'retention_months BETWEEN 1 AND 120'
        )

    with op.batch_alter_table('topic_stances', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_topic_stances_participant_id_anonymised_participants'), 'anonymised_participants', ['participant_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', eraati.core.db.UTCDateTime(timezone=True), nullable=True))



def downgrade():
    # Rows detached by the retention job have no account to point at in the old schema.
    for table in ('answers', 'comment_flags', 'comment_votes', 'follows', 'topic_stances'):
        op.execute(f"DELETE FROM {table} WHERE user_id IS NULL")
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')

    with op.batch_alter_table('topic_stances', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_topic_stances_participant_id_anonymised_participants'), type_='foreignkey')
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('participant_id')

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_organisations_retention_months_in_range'), type_='check')
        batch_op.drop_column('retention_months')

    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_comments_participant_id_anonymised_participants'), type_='foreignkey')
        batch_op.drop_column('participant_id')

    with op.batch_alter_table('comment_votes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_comment_votes_participant_id_anonymised_participants'), type_='foreignkey')
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('participant_id')

    with op.batch_alter_table('comment_flags', schema=None) as batch_op:
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_answers_participant_id_anonymised_participants'), type_='foreignkey')
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('participant_id')

    with op.batch_alter_table('anonymised_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_anonymised_participants_topic_id'))

    op.drop_table('anonymised_participants')
