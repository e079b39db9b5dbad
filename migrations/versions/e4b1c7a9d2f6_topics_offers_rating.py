"""Topics: offers_rating ("Rate comments", one comment at a time); comments: an index of
the visible ones by their number of votes (the least voted come next) and one of official
replies (counted out of the comments to rate)

Revision ID: e4b1c7a9d2f6
Revises: e4b7c1d93a26
Create Date: 2026-12-07 04:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4b1c7a9d2f6'
down_revision = 'e4b7c1d93a26'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('offers_rating', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_index(
        'ix_comments_rating',
        'comments',
        ['topic_id', sa.text('(agree_count + disagree_count + pass_count)'), 'id'],
        unique=False,
        postgresql_where=sa.text("status = 'visible' AND NOT is_official"),
        sqlite_where=sa.text("status = 'visible' AND is_official = 0"),
    )
    op.create_index(
        'ix_comments_official',
        'comments',
        ['topic_id'],
        unique=False,
        postgresql_where=sa.text('is_official'),
        sqlite_where=sa.text('is_official = 1'),
    )


def downgrade():
    op.drop_index(
        'ix_comments_official',
        table_name='comments',
        postgresql_where=sa.text('is_official'),
        sqlite_where=sa.text('is_official = 1'),
    )
    op.drop_index(
        'ix_comments_rating',
        table_name='comments',
        postgresql_where=sa.text("status = 'visible' AND NOT is_official"),
        sqlite_where=sa.text("status = 'visible' AND is_official = 0"),
    )
    # recreate='never': copying "topics" on SQLite would cascade-delete its rows.
    with op.batch_alter_table('topics', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('offers_rating')
