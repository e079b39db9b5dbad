"""Events of a topic (issue 19): topic_events, and comments.event_id for paper and event
feedback collected at one

Revision ID: c4e2a7d91f30
Revises: c4d2e8f1a7b3
Create Date: 2026-12-07 11:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

from eraati.core.db import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'c4e2a7d91f30'
down_revision = 'c4d2e8f1a7b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'topic_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', UTCDateTime(), nullable=False),
        sa.Column('ends_at', UTCDateTime(), nullable=True),
        sa.Column('place', sa.String(length=200), nullable=False),
        sa.Column('street_address', sa.String(length=200), server_default='', nullable=False),
        sa.Column('municipality', sa.String(length=200), server_default='', nullable=False),
        sa.Column('description', sa.Text(), server_default='', nullable=False),
        sa.Column('languages', sa.String(length=20), server_default='fi', nullable=False),
        sa.Column('accessibility', sa.Text(), server_default='', nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.CheckConstraint('ends_at IS NULL OR ends_at > starts_at', name=op.f('ck_topic_events_ends_after_start')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_topic_events_created_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_topic_events_topic_id_topics'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_topic_events')),
    )
    op.create_index(op.f('ix_topic_events_topic_id'), 'topic_events', ['topic_id'])
    op.create_index(op.f('ix_topic_events_starts_at'), 'topic_events', ['starts_at'])
    # Not batch_alter_table: on SQLite that copies the whole comments table. A nullable
    # column with its reference is an ALTER TABLE ... ADD COLUMN on both databases (SQLite
    # keeps the reference with the column; alembic would refuse to add it apart).
    if op.get_context().dialect.name == 'sqlite':
        op.execute(
            'ALTER TABLE comments ADD COLUMN event_id INTEGER '
            'CONSTRAINT fk_comments_event_id_topic_events '
            'REFERENCES topic_events (id) ON DELETE SET NULL'
        )
    else:
        op.add_column('comments', sa.Column('event_id', sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f('fk_comments_event_id_topic_events'), 'comments', 'topic_events',
            ['event_id'], ['id'], ondelete='SET NULL',
        )
    op.create_index(op.f('ix_comments_event_id'), 'comments', ['event_id'])


def downgrade():
    op.drop_index(op.f('ix_comments_event_id'), table_name='comments')
    if op.get_context().dialect.name != 'sqlite':
        op.drop_constraint(op.f('fk_comments_event_id_topic_events'), 'comments', type_='foreignkey')
    # SQLite drops a column whose reference is its own (ADD COLUMN made it so) in place.
    op.drop_column('comments', 'event_id')
    op.drop_index(op.f('ix_topic_events_starts_at'), table_name='topic_events')
    op.drop_index(op.f('ix_topic_events_topic_id'), table_name='topic_events')
    op.drop_table('topic_events')
