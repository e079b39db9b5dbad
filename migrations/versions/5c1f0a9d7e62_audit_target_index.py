"""Audit log: index on (target_type, target_id), one thing's history

Revision ID: 5c1f0a9d7e62
Revises: 8e41c0d5a2b7
Create Date: 2026-12-05 08:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5c1f0a9d7e62'
down_revision = '8e41c0d5a2b7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_target', ['target_type', 'target_id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_target')
