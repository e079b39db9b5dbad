"""Survey background questions: the ones a topic asks (topics.background_questions) and
the answers (background_answers, one row per person and topic)

Revision ID: b21a1b2c3d4e
Revises: b21b2c3d4e5f
Create Date: 2026-12-07 20:50:00

"""

from alembic import op
import sqlalchemy as sa

import eraati.core.db


# revision identifiers, used by Alembic.
revision = "b21a1b2c3d4e"
down_revision = "b21b2c3d4e5f"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("topics", sa.Column("background_questions", sa.JSON(), nullable=True))
    op.create_table(
        "background_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("age_group", sa.String(length=8), nullable=True),
        sa.Column("relation", sa.String(length=16), nullable=True),
        sa.Column("municipality_code", sa.String(length=5), nullable=True),
        sa.Column("created_at", eraati.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", eraati.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["anonymised_participants.id"],
            name=op.f("fk_background_answers_participant_id_anonymised_participants"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_background_answers_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_background_answers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_background_answers")),
        sa.UniqueConstraint(
            "topic_id", "user_id", name=op.f("uq_background_answers_topic_id_user_id")
        ),
    )
    op.create_index(
        op.f("ix_background_answers_topic_id"), "background_answers", ["topic_id"], unique=False
    )
    op.create_index(
        op.f("ix_background_answers_user_id"), "background_answers", ["user_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_background_answers_user_id"), table_name="background_answers")
    op.drop_index(op.f("ix_background_answers_topic_id"), table_name="background_answers")
    op.drop_table("background_answers")
    # recreate='never': copying "topics" on SQLite would cascade-delete its rows.
    with op.batch_alter_table("topics", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("background_questions")
