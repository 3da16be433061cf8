"""Create the PostgreSQL test database if it is missing; fail loudly if the server is down."""

from __future__ import annotations

import sys

import psycopg
from psycopg import sql


def main(server_url: str, name: str) -> int:
    try:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=5) as conn:
            query = "SELECT 1 FROM pg_database WHERE datname = %s"
            exists = conn.execute(query, (name,)).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"created database {name}")
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL is not reachable at {server_url}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
