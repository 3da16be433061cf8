"""Create the PostgreSQL test database if it is missing; fail loudly if the server is down.

    python scripts/create_pg_database.py postgresql://postgres@127.0.0.1:5432/postgres NAME

The test suite does the same for the database TEST_DATABASE_URL names (and for each
pytest-xdist worker's own copy of it), with :func:`ensure_database`.
"""

from __future__ import annotations

import sys

import psycopg
from psycopg import sql


class ServerUnreachable(Exception):
    """The PostgreSQL server does not answer (or refuses the connection)."""


def ensure_database(server_url: str, name: str) -> bool:
    """Create the database ``name`` on the server when it is missing; True when created.

    ``server_url``: any database of the server the user may connect to (``postgres``)."""
    try:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=5) as conn:
            query = "SELECT 1 FROM pg_database WHERE datname = %s"
            if conn.execute(query, (name,)).fetchone():
                return False
            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            except psycopg.errors.DuplicateDatabase:
                return False  # created meanwhile by another process
            return True
    except psycopg.OperationalError as exc:
        raise ServerUnreachable(str(exc).strip()) from None


def main(server_url: str, name: str) -> int:
    try:
        if ensure_database(server_url, name):
            print(f"created database {name}")
    except ServerUnreachable as exc:
        print(f"PostgreSQL is not reachable at {server_url}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
