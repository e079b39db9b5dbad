"""Places on a map (issue 20): topic_maps (a topic's area), topic_places (its named places),
comments.place_id, lat and lon (WGS 84), and the organisations' map tile settings

Revision ID: c20d3e4f5a6b
Revises: d20e4f5a6b7c
Create Date: 2026-12-07 17:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c20d3e4f5a6b'
down_revision = 'd20e4f5a6b7c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'topic_maps',
        sa.Column('topic_id', sa.Integer(), nullable=False),
        sa.Column('south', sa.Float(), nullable=False),
        sa.Column('west', sa.Float(), nullable=False),
        sa.Column('north', sa.Float(), nullable=False),
        sa.Column('east', sa.Float(), nullable=False),
        sa.CheckConstraint('south >= -90 AND north <= 90 AND south < north', name=op.f('ck_topic_maps_latitudes_in_order')),
        sa.CheckConstraint('west >= -180 AND east <= 180 AND west < east', name=op.f('ck_topic_maps_longitudes_in_order')),
        sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_topic_maps_topic_id_topics'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('topic_id', name=op.f('pk_topic_maps')),
    )
    op.create_table(
        'topic_places',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), server_default='0', nullable=False),
        sa.Column('name_fi', sa.String(length=120), nullable=False),
        sa.Column('name_sv', sa.String(length=120), nullable=True),
        sa.Column('name_en', sa.String(length=120), nullable=True),
        sa.Column('lat', sa.Float(), nullable=False),
        sa.Column('lon', sa.Float(), nullable=False),
        sa.CheckConstraint('lat >= -90 AND lat <= 90', name=op.f('ck_topic_places_lat_range')),
        sa.CheckConstraint('lon >= -180 AND lon <= 180', name=op.f('ck_topic_places_lon_range')),
        sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_topic_places_topic_id_topics'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_topic_places')),
    )
    op.create_index(op.f('ix_topic_places_topic_id'), 'topic_places', ['topic_id'])
    # Not batch_alter_table: on SQLite that copies the whole comments table (see
    # c4e2a7d91f30). Nullable columns are an ALTER TABLE ... ADD COLUMN on both databases.
    if op.get_context().dialect.name == 'sqlite':
        op.execute(
            'ALTER TABLE comments ADD COLUMN place_id INTEGER '
            'CONSTRAINT fk_comments_place_id_topic_places '
            'REFERENCES topic_places (id) ON DELETE SET NULL'
        )
    else:
        op.add_column('comments', sa.Column('place_id', sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f('fk_comments_place_id_topic_places'), 'comments', 'topic_places',
            ['place_id'], ['id'], ondelete='SET NULL',
        )
    op.create_index(op.f('ix_comments_place_id'), 'comments', ['place_id'])
    op.add_column('comments', sa.Column('lat', sa.Float(), nullable=True))
    op.add_column('comments', sa.Column('lon', sa.Float(), nullable=True))
    op.add_column('organisations', sa.Column('map_tile_url', sa.String(length=500), nullable=True))
    op.add_column('organisations', sa.Column('map_attribution', sa.String(length=300), nullable=True))


def downgrade():
    # recreate='never': copying "organisations" on SQLite would cascade-delete its rows.
    with op.batch_alter_table('organisations', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('map_attribution')
        batch_op.drop_column('map_tile_url')
    op.drop_column('comments', 'lon')
    op.drop_column('comments', 'lat')
    op.drop_index(op.f('ix_comments_place_id'), table_name='comments')
    if op.get_context().dialect.name != 'sqlite':
        op.drop_constraint(op.f('fk_comments_place_id_topic_places'), 'comments', type_='foreignkey')
    # SQLite drops a column whose reference is its own (ADD COLUMN made it so) in place.
    op.drop_column('comments', 'place_id')
    op.drop_index(op.f('ix_topic_places_topic_id'), table_name='topic_places')
    op.drop_table('topic_places')
    op.drop_table('topic_maps')
