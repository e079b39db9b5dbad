"""Parts of a topic (a draft read part by part, issue 20): topic_parts, topic_part_texts;
the part and paragraph of a comment (comments.part_id, paragraph, paragraph_quote) and
the part of a file (topic_files.part_id)

Revision ID: a20b1c2d3e4f
Revises: b20c3d4e5f6a
Create Date: 2026-12-07 17:50:00

"""
from alembic import op
import sqlalchemy as sa

from eraati.core.db import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'a20b1c2d3e4f'
down_revision = 'b20c3d4e5f6a'
branch_labels = None
depends_on = None


def _add_reference(table, column, ondelete):
    """A nullable column with its reference, as ALTER TABLE ... ADD COLUMN on both
    databases: batch_alter_table would copy the table on SQLite (and "comments" would lose
    its triggers and search index)."""
    name = f'fk_{table}_{column}_topic_parts'
    if op.get_context().dialect.name == 'sqlite':
        on_delete = f' ON DELETE {ondelete}' if ondelete else ''
        op.execute(
            f'ALTER TABLE {table} ADD COLUMN {column} INTEGER '
            f'CONSTRAINT {name} REFERENCES topic_parts (id){on_delete}'
        )
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f(name), table, 'topic_parts', [column], ['id'], ondelete=ondelete
        )


def upgrade():
    op.create_table(
        'topic_parts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.CheckConstraint('position >= 1', name=op.f('ck_topic_parts_position_positive')),
        sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_topic_parts_topic_id_topics'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_topic_parts')),
        sa.UniqueConstraint('topic_id', 'position', name=op.f('uq_topic_parts_topic_id_position')),
    )
    op.create_table(
        'topic_part_texts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('part_id', sa.Integer(), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['part_id'], ['topic_parts.id'], name=op.f('fk_topic_part_texts_part_id_topic_parts'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_topic_part_texts')),
        sa.UniqueConstraint('part_id', 'locale', name=op.f('uq_topic_part_texts_part_id_locale')),
    )
    # No ON DELETE: a part that has comments cannot be deleted (eraati/parts/models.py).
    _add_reference('comments', 'part_id', None)
    op.add_column('comments', sa.Column('paragraph', sa.Integer(), nullable=True))
    op.add_column('comments', sa.Column('paragraph_quote', sa.Text(), nullable=True))
    # A part's top-level comments, newest first, a page at a time (eraati.parts.queries).
    op.create_index(
        'ix_comments_part_roots_created', 'comments', ['part_id', 'created_at', 'id'],
        unique=False,
        postgresql_where=sa.text('parent_id IS NULL'),
        sqlite_where=sa.text('parent_id IS NULL'),
    )
    _add_reference('topic_files', 'part_id', 'CASCADE')
    op.create_index(op.f('ix_topic_files_part_id'), 'topic_files', ['part_id'])


def downgrade():
    op.drop_index(op.f('ix_topic_files_part_id'), table_name='topic_files')
    op.drop_index('ix_comments_part_roots_created', table_name='comments')
    for table in ('topic_files', 'comments'):
        if op.get_context().dialect.name != 'sqlite':
            op.drop_constraint(op.f(f'fk_{table}_part_id_topic_parts'), table, type_='foreignkey')
    # SQLite drops a column whose reference is its own (ADD COLUMN made it so) in place.
    op.drop_column('topic_files', 'part_id')
    op.drop_column('comments', 'paragraph_quote')
    op.drop_column('comments', 'paragraph')
    op.drop_column('comments', 'part_id')
    op.drop_table('topic_part_texts')
    op.drop_table('topic_parts')
