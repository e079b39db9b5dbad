"""Organisation subscriptions default to the home municipality and its joint authorities:
a row is a choice that differs from the default, to hear of an organisation or not
(organisation_subscriptions.subscribed)

Revision ID: c4d2e8f1a7b3
Revises: c4d81e2f9a60
Create Date: 2026-12-07 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d2e8f1a7b3'
down_revision = 'c4d81e2f9a60'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        'organisation_subscriptions',
        sa.Column('subscribed', sa.Boolean(), server_default=sa.true(), nullable=False),
    )


def downgrade():
    # A refusal would read as a subscription without the column: those rows go first.
    op.execute('DELETE FROM organisation_subscriptions WHERE NOT subscribed')
    with op.batch_alter_table('organisation_subscriptions') as batch_op:
        batch_op.drop_column('subscribed')
