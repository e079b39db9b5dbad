"""Audit log: index on (organisation_id, action) for the list of actions in the filter

Revision ID: 3b9d2f7c1e04
Revises: a4736c01ec98
Create Date: 2026-12-04 17:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3b9d2f7c1e04'
down_revision = 'a4736c01ec98'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_org_action', ['organisation_id', 'action'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_org_action')
