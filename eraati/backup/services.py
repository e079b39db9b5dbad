"""Backup and restore of everything eRaati keeps: its one database.

Uploaded files (topic images and attachments, organisations' logos) are rows of the
database, so a backup of the database is a backup of the service. What lives elsewhere is
not kept and needs no keeping: finished exports wait in ``EXPORT_DIR`` for a week and are
made again on request, and Redis holds only rate-limit counters and the job queue.

- **PostgreSQL**: ``pg_dump --format=custom`` (a consistent snapshot while the service
  runs). A restore replaces the database's ``public`` schema with the backup's in one
  transaction: ``pg_restore`` writes the SQL, ``psql --single-transaction`` runs it after
  dropping the schema, so a restore that fails leaves the database as it was.
- **SQLite** (the embedded default): SQLite's online backup API, page by page under a
  read lock, into a file that is itself a SQLite database; a restore copies it back the
  same way, in one transaction.

A backup file is written beside its final name and renamed once complete and checked, so
a file with the final name is never half-written. The two kinds are told apart by their
first bytes, and a backup is restored only into a database of its own kind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL

from eraati.extensions import db

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
# Each PostgreSQL client program ends here, whatever it is doing (a day of data).
PG_TIMEOUT_SECONDS = 6 * 60 * 60


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, for the operator."""


@dataclass(frozen=True)
class Summary:
    path: Path
    kind: str  # "postgresql" or "sqlite"
    size: int  # bytes
    revision: str | None  # the database's migration revision (alembic_version)
    tables: int
    rows: int


def database_kind() -> str:
    name = db.engine.dialect.name
    if name not in ("postgresql", "sqlite"):
        raise BackupError(f"No backup for a {name} database.")
    return name


def kind_of_file(path: Path) -> str:
    """The kind of database a backup file is of, from its first bytes."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"Cannot read {path}: {exc.strerror}.") from exc
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if head == SQLITE_MAGIC:
        return "sqlite"
    raise BackupError(f"{path} is not an eRaati backup (neither pg_dump nor SQLite).")


def contents() -> tuple[str | None, int, int]:
    """(migration revision, tables, rows) of the database now: one count per table."""
    with db.engine.connect() as conn:
        names = sorted(sa.inspect(conn).get_table_names())
        rows = 0
        for name in names:
            table = sa.table(name)
            rows += conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        revision = None
        if "alembic_version" in names:
            revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    return revision, len(names), rows


def backup(path: Path) -> Summary:
    """Write a backup of the database to ``path`` (which must not exist yet)."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists already: give a new file name.")
    if not path.parent.is_dir():
        raise BackupError(f"There is no folder {path.parent}.")
    kind = database_kind()
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    revision, tables, rows = contents()
    try:
        if kind == "postgresql":
            _pg_dump(partial)
        else:
            _sqlite_copy(_sqlite_file(), partial)
        if kind_of_file(partial) != kind:  # pragma: no cover - the tools wrote something else
            raise BackupError("The backup file is not what the database tool should write.")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return Summary(path, kind, path.stat().st_size, revision, tables, rows)


def restore(path: Path) -> Summary:
    """Replace everything in the database with the backup at ``path``."""
    path = Path(path)
    kind = database_kind()
    found = kind_of_file(path)
    if found != kind:
        raise BackupError(
            f"{path} is a {found} backup and this service's database is {kind}: "
            "a backup is restored into a database of its own kind."
        )
    db.session.remove()
    db.engine.dispose()  # no connection of ours holds a lock or a stale page
    if kind == "postgresql":
        _pg_restore(path)
    else:
        _sqlite_copy(path, _sqlite_file(), check_source=True)
    db.engine.dispose()
    revision, tables, rows = contents()
    return Summary(path, kind, path.stat().st_size, revision, tables, rows)


# --- SQLite ------------------------------------------------------------------------------------


def _sqlite_file() -> Path:
    name = db.engine.url.database
    if not name or name == ":memory:":
        raise BackupError("The SQLite database is in memory: there is no file to back up.")
    return Path(name)


def _sqlite_copy(source: Path, target: Path, *, check_source: bool = False) -> None:
    """Copy a SQLite database with the online backup API (one transaction on the target)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if check_source:
            ok = src.execute("PRAGMA integrity_check").fetchone()[0]
            if ok != "ok":
                raise BackupError(f"{source} is damaged: {ok}")
        dst = sqlite3.connect(target)
        try:
            dst.execute("PRAGMA busy_timeout=30000")
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not copy {source} to {target}: {exc}") from exc
    finally:
        src.close()


# --- PostgreSQL --------------------------------------------------------------------------------


def _pg_env(url: URL) -> dict[str, str]:
    """libpq's environment for the database: the password never on a command line."""
    env = dict(os.environ)
    for var, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
        ("PGSSLMODE", url.query.get("sslmode")),
    ):
        if value:
            env[var] = str(value)
    return env


def _program(name: str) -> str:
    """The full path of a PostgreSQL client program (``PATH`` as the operator set it)."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (PostgreSQL's client programs).")
    return found


def _run(args: list[str], env: dict[str, str], **kw) -> None:
    args = [_program(args[0]), *args[1:]]
    done = subprocess.run(  # noqa: S603 - fixed programs, no shell
        args, env=env, capture_output=True, timeout=PG_TIMEOUT_SECONDS, check=False, **kw
    )
    if done.returncode != 0:
        raise BackupError(
            f"{Path(args[0]).name} failed: {done.stderr.decode(errors='replace').strip()}"
        )


def _pg_dump(target: Path) -> None:
    env = _pg_env(db.engine.url)
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], env)


RESET_SCHEMA = b"BEGIN;\nDROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
CHUNK = 1 << 16


def _pg_restore(source: Path) -> None:
    """``pg_restore`` writes the backup as SQL, which goes to ``psql`` after a ``BEGIN`` and
    the dropping of the schema; ``COMMIT`` follows only when ``pg_restore`` has written it
    all. A damaged file, an error in the SQL (``ON_ERROR_STOP``) or a tool that dies ends
    ``psql`` without a commit, and the database stays as it was."""
    env = _pg_env(db.engine.url)
    _run(["pg_restore", "--list", str(source)], env)  # a whole, readable archive
    with tempfile.TemporaryFile() as writer_errors, tempfile.TemporaryFile() as psql_errors:
        writer = subprocess.Popen(  # noqa: S603 - fixed programs, no shell
            [_program("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(source)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=writer_errors,
        )
        psql = subprocess.Popen(  # noqa: S603 - fixed programs, no shell
            [_program("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--file=-"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
        )
        assert writer.stdout is not None and psql.stdin is not None
        try:
            psql.stdin.write(RESET_SCHEMA)
            while chunk := writer.stdout.read(CHUNK):
                psql.stdin.write(chunk)
            if writer.wait(timeout=PG_TIMEOUT_SECONDS) == 0:
                psql.stdin.write(b"COMMIT;\n")
        except BrokenPipeError:
            pass  # psql stopped at an error: its message is read below
        finally:
            writer.stdout.close()
            if writer.poll() is None:  # psql stopped first: the rest is not needed
                writer.kill()
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()
            psql.wait(timeout=PG_TIMEOUT_SECONDS)
            writer.wait()
        for program, process, errors in (  # psql's error is the cause when both failed
            ("psql", psql, psql_errors),
            ("pg_restore", writer, writer_errors),
        ):
            if process.returncode != 0:
                errors.seek(0)
                message = errors.read().decode(errors="replace").strip()
                raise BackupError(f"{program} failed, nothing was restored: {message}")
