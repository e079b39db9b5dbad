"""One home municipality per person: users.home_municipality_code (a Statistics Finland
code) stays, users.home_organisation_id and anonymised_participants.home_organisation_id go.
The home organisation is now the one whose municipality_code is the person's code, so the
codes are unique among organisations, and municipalities get theirs by name where they had
none.

Revision ID: b21b2c3d4e5f
Revises: a20c5e6f7a8b
Create Date: 2026-12-07 21:00:00

"""
import csv
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b21b2c3d4e5f'
down_revision = 'a20c5e6f7a8b'
branch_labels = None
depends_on = None

# The reference list as it was when this was written (read here, not through the app's
# module, so that later changes to that module do not change this migration).
CSV = Path(__file__).resolve().parents[2] / 'eraati' / 'organisations' / 'data' / 'municipalities.csv'

organisations = sa.table(
    'organisations',
    sa.column('id', sa.Integer),
    sa.column('kind', sa.String),
    sa.column('name_fi', sa.String),
    sa.column('name_sv', sa.String),
    sa.column('municipality_code', sa.String),
)


def _codes_by_name() -> dict[str, str]:
    """Finnish and Swedish names (case-folded) -> code; a name two municipalities share
    (none today) is left out."""
    if not CSV.exists():
        return {}
    with CSV.open(encoding='utf-8', newline='') as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith('#')))
    found: dict[str, set[str]] = {}
    for row in rows:
        for name in {row['name_fi'], row['name_sv'] or row['name_fi']}:
            found.setdefault(name.strip().casefold(), set()).add(row['code'])
    return {name: codes.pop() for name, codes in found.items() if len(codes) == 1}


def _fill_organisation_codes(conn) -> None:
    """A municipality without a code gets the one its Finnish (or Swedish) name has in the
    reference list, unless another organisation has it; a code two organisations share
    stays with the older one (the lower id)."""
    rows = conn.execute(
        sa.select(
            organisations.c.id, organisations.c.kind, organisations.c.name_fi,
            organisations.c.name_sv, organisations.c.municipality_code,
        ).order_by(organisations.c.id)
    ).all()
    taken: set[str] = set()
    for row in rows:
        if row.municipality_code is None:
            continue
        if row.municipality_code in taken:
            conn.execute(
                organisations.update()
                .where(organisations.c.id == row.id)
                .values(municipality_code=None)
            )
        taken.add(row.municipality_code)
    by_name = _codes_by_name()
    for row in rows:
        if row.municipality_code is not None or row.kind != 'municipality':
            continue
        for name in (row.name_fi, row.name_sv):
            code = by_name.get((name or '').strip().casefold())
            if code and code not in taken:
                taken.add(code)
                conn.execute(
                    organisations.update()
                    .where(organisations.c.id == row.id)
                    .values(municipality_code=code)
                )
                break


def _copy_to_code(conn, table: str) -> None:
    """The home organisation's code where the row has no code of its own."""
    conn.execute(sa.text(
        f"UPDATE {table} SET home_municipality_code = ("  # noqa: S608
        " SELECT o.municipality_code FROM organisations o"
        f" WHERE o.id = {table}.home_organisation_id)"
        " WHERE home_municipality_code IS NULL AND home_organisation_id IS NOT NULL"
    ))


def _copy_to_organisation(conn, table: str) -> None:
    conn.execute(sa.text(
        f"UPDATE {table} SET home_organisation_id = ("  # noqa: S608
        " SELECT o.id FROM organisations o"
        f" WHERE o.municipality_code = {table}.home_municipality_code)"
        " WHERE home_municipality_code IS NOT NULL"
    ))


def upgrade():
    conn = op.get_bind()
    _fill_organisation_codes(conn)
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_organisations_municipality_code'), ['municipality_code'], unique=True
        )
    for table in ('users', 'anonymised_participants'):
        _copy_to_code(conn, table)
        # SQLite copies the table (the column is in a foreign key); PostgreSQL drops the
        # column and its foreign key.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('home_organisation_id')


def downgrade():
    conn = op.get_bind()
    for table in ('anonymised_participants', 'users'):
        with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
            batch_op.add_column(sa.Column('home_organisation_id', sa.Integer(), nullable=True))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_foreign_key(
                batch_op.f(f'fk_{table}_home_organisation_id_organisations'),
                'organisations', ['home_organisation_id'], ['id'], ondelete='SET NULL',
            )
        # Best effort: the organisation of the code (a code without one gives none). The
        # codes stay: before this revision both columns were kept.
        _copy_to_organisation(conn, table)
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_municipality_code'))
