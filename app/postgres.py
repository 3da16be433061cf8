"""PostgreSQL connection settings: UTC, and the planner's cost of a random read.

Every connection's time zone is UTC, whatever the server's: timestamps come back in UTC
(HireLadder stores and compares UTC only; app/models/columns.py reads them without
converting them again), and anything the database computes from a timestamp is computed
in UTC, as on SQLite.

PostgreSQL's default ``random_page_cost`` (4) prices a random read as on a spinning disk:
for an interviewer with thousands of interviews it then reads the whole interviews table
rather than look up their few hundred open ones by key (120 ms instead of 6 ms at a
million applications). On SSD or network storage, where HireLadder runs, 1.1 is the usual
value; each new connection sets it (``HIRELADDER_PG_RANDOM_PAGE_COST``; empty leaves the
server's own, e.g. when the database sets it with ``ALTER DATABASE … SET``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def configure_postgresql(engine: Engine, random_page_cost: float | None) -> None:
    if engine.dialect.name != "postgresql":
        return
    settings = "SET TIME ZONE 'UTC'"
    if random_page_cost is not None:
        settings += f"; SET random_page_cost = {float(random_page_cost)}"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Outside any transaction, so that the settings hold for the connection's life.
        dbapi_connection.autocommit = True
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute(settings)
        finally:
            dbapi_connection.autocommit = False
