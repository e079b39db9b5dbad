"""Create and drop PostgreSQL test databases: ``python -m tests.pgdb create|drop URL``."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def _split(url: str) -> tuple[str, str]:
    url = url.replace("postgresql+psycopg://", "postgresql://")
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    return admin, name


def drop(url: str) -> None:
    admin, name = _split(url)
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def create(url: str) -> None:
    drop(url)
    admin, name = _split(url)
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


if __name__ == "__main__":
    {"create": create, "drop": drop}[sys.argv[1]](sys.argv[2])
