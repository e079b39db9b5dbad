"""Member municipalities of joint authorities (authority_members), the municipality code
of a municipality's own organisation, residents' home municipality, and the setting that
shows results by home municipality on the public results page

Revision ID: d20e4f5a6b7c
Revises: c3d8e1f4a7b2
Create Date: 2026-12-07 17:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd20e4f5a6b7c'
down_revision = 'c3d8e1f4a7b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'authority_members',
        sa.Column('authority_id', sa.Integer(), nullable=False),
        sa.Column('municipality_code', sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ['authority_id'], ['organisations.id'],
            name=op.f('fk_authority_members_authority_id_organisations'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint(
            'authority_id', 'municipality_code', name=op.f('pk_authority_members')
        ),
    )
    op.add_column(
        'organisations', sa.Column('municipality_code', sa.String(length=3), nullable=True)
    )
    op.add_column(
        'organisations',
        sa.Column(
            'municipality_results_public', sa.Boolean(), server_default=sa.false(),
            nullable=False,
        ),
    )
    op.add_column(
        'users', sa.Column('home_municipality_code', sa.String(length=5), nullable=True)
    )
    op.add_column(
        'anonymised_participants',
        sa.Column('home_municipality_code', sa.String(length=5), nullable=True),
    )


def downgrade():
    with op.batch_alter_table(
        'anonymised_participants', schema=None, recreate='never'
    ) as batch_op:
        batch_op.drop_column('home_municipality_code')
    with op.batch_alter_table('users', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('home_municipality_code')
    with op.batch_alter_table('organisations', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('municipality_results_public')
        batch_op.drop_column('municipality_code')
    op.drop_table('authority_members')
