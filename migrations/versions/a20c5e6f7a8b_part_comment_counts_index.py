"""An index for a part's page: its shown comments and those of each paragraph counted
without reading the other parts' comments (comments.part_id, status, paragraph)

Revision ID: a20c5e6f7a8b
Revises: a20b1c2d3e4f
Create Date: 2026-12-07 19:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a20c5e6f7a8b'
down_revision = 'a20b1c2d3e4f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_comments_part_status_paragraph', 'comments', ['part_id', 'status', 'paragraph']
    )


def downgrade():
    op.drop_index('ix_comments_part_status_paragraph', table_name='comments')
