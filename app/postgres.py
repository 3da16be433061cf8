"""PostgreSQL connection settings: the planner's cost of a random read.

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
    if engine.dialect.name != "postgresql" or random_page_cost is None:
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Outside any transaction, so that the setting holds for the connection's life.
        dbapi_connection.autocommit = True
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET random_page_cost = {float(random_page_cost)}")
        finally:
            dbapi_connection.autocommit = False
