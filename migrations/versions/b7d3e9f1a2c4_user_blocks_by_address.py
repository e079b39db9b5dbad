"""Blocks by e-mail address: user_blocks.user_id may wait for an account, email_hash and
email_hint

Revision ID: b7d3e9f1a2c4
Revises: d2a7c4e9b1f3
Create Date: 2026-12-06 22:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b7d3e9f1a2c4'
down_revision = 'd2a7c4e9b1f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_blocks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('email_hint', sa.String(length=254), nullable=True))
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_user_blocks_email_hash'), ['email_hash'], unique=False)
        batch_op.create_check_constraint(
            'has_person', 'user_id IS NOT NULL OR email_hash IS NOT NULL'
        )


def downgrade():
    # Blocks still waiting for an account cannot exist without one.
    op.execute('DELETE FROM user_blocks WHERE user_id IS NULL')
    with op.batch_alter_table('user_blocks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_user_blocks_has_person'), type_='check')
        batch_op.drop_index(batch_op.f('ix_user_blocks_email_hash'))
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('email_hint')
        batch_op.drop_column('email_hash')
