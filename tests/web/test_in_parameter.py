"""``in_parameter``: a statement built once takes its list of ids as one parameter, on
PostgreSQL as one array (the same SQL however many ids), elsewhere as an expanding IN."""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite

from app.db import db, in_parameter
from app.models import Application, Requisition

BY_IDS = select(Requisition.id).where(in_parameter(Requisition.id, "ids")).order_by(Requisition.id)


def test_it_is_one_array_on_postgresql_and_an_expanding_in_elsewhere():
    on_postgresql = str(BY_IDS.compile(dialect=postgresql.psycopg.dialect()))
    assert "requisitions.id = ANY (%(ids)s::INTEGER[])" in on_postgresql
    on_sqlite = str(BY_IDS.compile(dialect=sqlite.dialect()))
    assert "requisitions.id IN (__[POSTCOMPILE_ids])" in on_sqlite
    assert "= 1" not in on_sqlite  # a comparison in itself, not a boolean column


def test_the_same_statement_has_the_same_cache_key_and_another_column_another():
    def key(column, name="ids"):
        return select(Application.id).where(in_parameter(column, name))._generate_cache_key()

    assert key(Application.requisition_id) == key(Application.requisition_id)
    assert key(Application.requisition_id) != key(Application.candidate_id)
    assert key(Application.requisition_id) != key(Application.requisition_id, "others")


def test_it_finds_the_rows_of_the_ids_given_however_many(app, hiring_objects):
    with app.app_context():
        known = hiring_objects["requisition_id"]
        sent: list[str] = []
        engine = db.engine

        def note(conn, cursor, statement, *args):
            if statement.startswith("SELECT"):
                sent.append(statement)

        listen = (engine, "before_cursor_execute", note)
        event.listen(*listen)
        try:
            assert db.session.scalars(BY_IDS, {"ids": [known]}).all() == [known]
            assert db.session.scalars(BY_IDS, {"ids": [known, -1, -2, -3]}).all() == [known]
            assert db.session.scalars(BY_IDS, {"ids": [-1]}).all() == []
            assert db.session.scalars(BY_IDS, {"ids": []}).all() == []
        finally:
            event.remove(*listen)
        if engine.dialect.name == "postgresql":
            assert len(sent) == 4 and len(set(sent)) == 1, sent  # one text, prepared once
