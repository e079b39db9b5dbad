"""Topics: the deciding body and the contact person are texts per language

Revision ID: b7d4e1a9c2f5
Revises: 202abbfc1ea5
Create Date: 2026-12-07 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d4e1a9c2f5'
down_revision = '202abbfc1ea5'
branch_labels = None
depends_on = None

LANGUAGES = ('fi', 'sv', 'en')

topics = sa.table(
    'topics',
    sa.column('id', sa.Integer),
    sa.column('organisation_id', sa.Integer),
    sa.column('deciding_body', sa.String),
    sa.column('contact_person', sa.String),
)
organisations = sa.table('organisations', sa.column('id', sa.Integer), sa.column('languages', sa.String))
translations = sa.table(
    'topic_translations',
    sa.column('id', sa.Integer),
    sa.column('topic_id', sa.Integer),
    sa.column('locale', sa.String),
    sa.column('deciding_body', sa.String),
    sa.column('contact_person', sa.String),
)


def _first_language_rows(conn) -> dict[int, int]:
    """Topic id -> the id of its text in the organisation's first language (or, without
    one, the text a reader falls back on, as Topic.text does)."""
    languages = dict(
        conn.execute(
            sa.select(topics.c.id, organisations.c.languages).join(
                organisations, organisations.c.id == topics.c.organisation_id
            )
        ).all()
    )
    rows: dict[int, dict[str, int]] = {}
    for row_id, topic_id, locale in conn.execute(
        sa.select(translations.c.id, translations.c.topic_id, translations.c.locale)
    ):
        rows.setdefault(topic_id, {})[locale] = row_id
    out = {}
    for topic_id, by_locale in rows.items():
        order = [c for c in (languages.get(topic_id) or 'fi').split(',') if c]
        for code in (*order, *LANGUAGES, *sorted(by_locale)):
            if code in by_locale:
                out[topic_id] = by_locale[code]
                break
    return out


def upgrade():
    with op.batch_alter_table('topic_translations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deciding_body', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('contact_person', sa.String(length=200), server_default='', nullable=False))

    # The texts written so far go to the organisation's first language.
    conn = op.get_bind()
    target = _first_language_rows(conn)
    for topic_id, body, contact in conn.execute(
        sa.select(topics.c.id, topics.c.deciding_body, topics.c.contact_person).where(
            sa.or_(topics.c.deciding_body.is_not(None), topics.c.contact_person.is_not(None))
        )
    ).all():
        if topic_id in target:
            conn.execute(
                translations.update()
                .where(translations.c.id == target[topic_id])
                .values(deciding_body=body or '', contact_person=contact or '')
            )

    # recreate='never': SQLite drops the columns itself (ALTER TABLE ... DROP COLUMN, SQLite
    # 3.35+). Copying the table instead would drop the old "topics", and with foreign keys
    # on, that deletes every row that cascades from a topic.
    with op.batch_alter_table('topics', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('contact_person')
        batch_op.drop_column('deciding_body')


def downgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deciding_body', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('contact_person', sa.String(length=200), nullable=True))

    conn = op.get_bind()
    texts = {
        row_id: (body, contact)
        for row_id, body, contact in conn.execute(
            sa.select(translations.c.id, translations.c.deciding_body, translations.c.contact_person)
        )
    }
    for topic_id, row_id in _first_language_rows(conn).items():
        body, contact = texts[row_id]
        if body or contact:
            conn.execute(
                topics.update()
                .where(topics.c.id == topic_id)
                .values(deciding_body=body or None, contact_person=contact or None)
            )

    with op.batch_alter_table('topic_translations', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('contact_person')
        batch_op.drop_column('deciding_body')
