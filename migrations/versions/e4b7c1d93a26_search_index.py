"""Search that knows Finnish and Swedish: search_text (lemmas) on comments and topic
texts, the index over it in each database (FTS5 on SQLite; a tsvector column kept by a
trigger and a GIN index on PostgreSQL; eraati/analysis/search/schema.py), and an index
of a topic's comments by status and time (a search walks it newest first)

Existing texts get their search_text here, a thousand rows per statement.

Revision ID: e4b7c1d93a26
Revises: f95596bf27c0
Create Date: 2026-12-07 05:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e4b7c1d93a26"
down_revision = 'f95596bf27c0'
branch_labels = None
depends_on = None

BATCH = 1000


def _backfill(bind, table: str, language: str, columns: tuple[str, ...]) -> None:
    from eraati.analysis.search.index import index_text, translation_text

    t = sa.table(table, sa.column("id"), sa.column(language), sa.column("search_text"),
                 *(sa.column(c) for c in columns))  # fmt: skip
    update = (
        sa.update(t).where(t.c.id == sa.bindparam("row_id")).values(search_text=sa.bindparam("st"))
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(t.c.id, t.c[language], *(t.c[c] for c in columns))
            .where(t.c.id > last)
            .order_by(t.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        values = []
        for row in rows:
            text = row[2] if len(columns) == 1 else translation_text(*row[2:])
            values.append({"row_id": row[0], "st": index_text(text, row[1])})
        bind.execute(update, values)
        last = rows[-1][0]


def upgrade():
    from eraati.analysis.search import schema

    bind = op.get_bind()
    dialect = bind.dialect.name
    op.create_index(
        "ix_comments_topic_status_created",
        "comments",
        ["topic_id", "status", "created_at", "id"],
    )
    for table in ("comments", "topic_translations"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=True))
    _backfill(bind, "comments", "language", ("body",))
    _backfill(bind, "topic_translations", "locale", ("title", "summary", "body"))
    # The index after the texts: an FTS5 "delete" of a row it never indexed corrupts it.
    for table in ("comments", "topic_translations"):
        for sql in schema.create_statements(dialect, table):
            bind.exec_driver_sql(sql)
        for sql in schema.backfill_statements(dialect, table):
            bind.exec_driver_sql(sql)


def downgrade():
    from eraati.analysis.search import schema

    bind = op.get_bind()
    op.drop_index("ix_comments_topic_status_created", table_name="comments")
    for table in ("comments", "topic_translations"):
        for sql in schema.drop_statements(bind.dialect.name, table):
            bind.exec_driver_sql(sql)
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("search_text")
