"""Notifications (issue 19): each person's choices per kind, organisation subscriptions,
and the rows of messages to send, each once (notifications)

Revision ID: a19c0f3e5d21
Revises: b7e4c2a9d310
Create Date: 2026-12-07 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

from eraati.core.db import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'a19c0f3e5d21'
down_revision = 'b7e4c2a9d310'
branch_labels = None
depends_on = None

KINDS = ('reply', 'official_reply', 'published', 'reminder', 'opening', 'new_topic', 'results', 'staff_queue')
MODES = ('off', 'instant', 'digest')


def _enum(name, values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table(
        'notification_preferences',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', _enum('kind', KINDS), nullable=False),
        sa.Column('mode', _enum('mode', MODES), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preferences')),
        sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_preferences_user_id_kind')),
    )
    op.create_table(
        'organisation_subscriptions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_subscriptions_organisation_id_organisations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_organisation_subscriptions_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_subscriptions')),
        sa.UniqueConstraint('user_id', 'organisation_id', name=op.f('uq_organisation_subscriptions_user_id_organisation_id')),
    )
    op.create_index(op.f('ix_organisation_subscriptions_organisation_id'), 'organisation_subscriptions', ['organisation_id'])
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', _enum('kind', KINDS), nullable=False),
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=True),
        sa.Column('comment_id', sa.Integer(), nullable=True),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('digest', sa.Boolean(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('due_at', UTCDateTime(), nullable=False),
        sa.Column('claimed_at', UTCDateTime(), nullable=True),
        sa.Column('sent_at', UTCDateTime(), nullable=True),
        sa.Column('failed_at', UTCDateTime(), nullable=True),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_notifications_comment_id_comments'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_notifications_organisation_id_organisations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_notifications_topic_id_topics'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
        sa.UniqueConstraint('user_id', 'kind', 'key', name=op.f('uq_notifications_user_id_kind_key')),
    )
    op.create_index('ix_notifications_due', 'notifications', ['sent_at', 'failed_at', 'digest', 'due_at'])
    op.create_index(op.f('ix_notifications_user_id'), 'notifications', ['user_id'])
    op.create_index(op.f('ix_notifications_topic_id'), 'notifications', ['topic_id'])
    op.create_index(op.f('ix_notifications_comment_id'), 'notifications', ['comment_id'])


def downgrade():
    op.drop_table('notifications')
    op.drop_table('organisation_subscriptions')
    op.drop_table('notification_preferences')
