"""Topics: pseudonym_key, the random key of a topic's pseudonyms, discarded by retention

Pseudonyms were HMAC(secret, "<topic id>:<user id>"): with the accounts still there,
anyone with the secret could compute them again for every account and find who wrote
what in an anonymised topic. They are now made with a random key of each topic, which
retention discards after storing each participant's pseudonym.

Every topic not yet anonymised gets its key. The participants of topics anonymised before
this revision had pseudonyms anyone with the secret can recompute, and were numbered in
the order of their accounts: each becomes a new participant, numbered in a random order,
with a new random pseudonym (distinct within the topic) and the same home municipality,
and their rows (comments, votes, stances, poll answers) point at it. The figures stay;
only the codes of those topics change.

Revision ID: 7e007d08944c
Revises: d3a7e1f09b52
Create Date: 2026-12-08 10:00:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e007d08944c'
down_revision = 'd3a7e1f09b52'
branch_labels = None
depends_on = None

PARTICIPATION = ('comments', 'comment_votes', 'topic_stances', 'answers')


def _new_pseudonyms(n: int) -> list[str]:
    made: set[str] = set()
    while len(made) < n:
        made.add('P-' + secrets.token_hex(4))
    codes = list(made)
    secrets.SystemRandom().shuffle(codes)
    return codes


def upgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pseudonym_key', sa.String(length=64), nullable=True))

    conn = op.get_bind()
    meta = sa.MetaData()
    topics = sa.Table('topics', meta, autoload_with=conn)
    participants = sa.Table('anonymised_participants', meta, autoload_with=conn)
    rows = [sa.Table(name, meta, autoload_with=conn) for name in PARTICIPATION]
    for (topic_id,) in conn.execute(
        sa.select(topics.c.id).where(topics.c.anonymised_at.is_(None))
    ).all():
        conn.execute(
            topics.update()
            .where(topics.c.id == topic_id)
            .values(pseudonym_key=secrets.token_hex(16))
        )

    anonymised = conn.execute(
        sa.select(topics.c.id).where(topics.c.anonymised_at.is_not(None))
    ).scalars().all()
    for topic_id in anonymised:
        old = conn.execute(
            sa.select(participants.c.id, participants.c.home_organisation_id).where(
                participants.c.topic_id == topic_id
            )
        ).all()
        secrets.SystemRandom().shuffle(old)
        for (old_id, home), pseudonym in zip(old, _new_pseudonyms(len(old)), strict=True):
            new_id = conn.execute(
                participants.insert().values(
                    topic_id=topic_id, pseudonym=pseudonym, home_organisation_id=home
                )
            ).inserted_primary_key[0]
            for table in rows:
                conn.execute(
                    table.update()
                    .where(table.c.participant_id == old_id)
                    .values(participant_id=new_id)
                )
        if old:
            conn.execute(participants.delete().where(participants.c.id.in_([r[0] for r in old])))


def downgrade():
    # The keys go; the pseudonyms stored by retention stay as they are.
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_column('pseudonym_key')
