"""Keyset pages of a query built once: its page statements are built once too, and each
request's values are parameters."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from app import paging
from app.models import Requisition


def test_a_query_built_once_has_its_page_statements_built_once():
    query = select(Requisition.id).where(Requisition.title == bindparam("title"))
    made = {
        (older, positioned): paging._page_statement(
            query,
            Requisition.created_at,
            Requisition.id,
            older=older,
            positioned=positioned,
            limit=26,
        )
        for older in (True, False)
        for positioned in (True, False)
    }
    assert len({id(statement) for statement in made.values()}) == 4
    again = paging._page_statement(
        query, Requisition.created_at, Requisition.id, older=True, positioned=True, limit=26
    )
    assert again is made[(True, True)]
    # Another query (even an equal one) and another page size get statements of their own.
    other = select(Requisition.id).where(Requisition.title == bindparam("title"))
    assert (
        paging._page_statement(
            other, Requisition.created_at, Requisition.id, older=True, positioned=True, limit=26
        )
        is not again
    )
    sql = str(made[(True, True)])
    assert ":page_at" in sql and ":page_id" in sql
    assert "ORDER BY requisitions.created_at DESC, requisitions.id DESC" in sql


def test_the_statements_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(paging, "_PAGE_STATEMENTS", type(paging._PAGE_STATEMENTS)())
    monkeypatch.setattr(paging, "_PAGE_STATEMENTS_KEPT", 3)
    queries = [select(Requisition.id).where(Requisition.id > n) for n in range(5)]
    for query in queries:
        paging._page_statement(
            query, Requisition.created_at, Requisition.id, older=True, positioned=False, limit=5
        )
    assert len(paging._PAGE_STATEMENTS) == 3
    assert [kept[0] for kept in paging._PAGE_STATEMENTS.values()] == queries[2:]


def test_a_page_of_a_query_built_once_runs_with_the_values_given(app, users):
    from app.db import db
    from app.models import User
    from app.services import hiring

    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        manager = db.session.get(User, users["hiring_manager"])
        for title in ("Alpha", "Beta", "Alpha"):
            hiring.create_requisition(
                title=title,
                level_id="csm",
                specialty_id=None,
                hiring_manager=manager,
                recruiter=recruiter,
                headcount=1,
                actor=recruiter,
            )
        db.session.commit()
        query = select(Requisition.id, Requisition.title, Requisition.created_at).where(
            Requisition.title == bindparam("title")
        )
        pages = {
            title: paging.newest_page(
                query,
                moment=Requisition.created_at,
                row_id=Requisition.id,
                key=lambda row: (row.created_at, row.id),
                per_page=1,
                params={"title": title},
            )
            for title in ("Alpha", "Beta")
        }
        assert [row.title for row in pages["Alpha"].items] == ["Alpha"]
        assert [row.title for row in pages["Beta"].items] == ["Beta"]
        assert pages["Alpha"].after is not None and pages["Beta"].after is None
        older = paging.newest_page(
            query,
            moment=Requisition.created_at,
            row_id=Requisition.id,
            key=lambda row: (row.created_at, row.id),
            per_page=1,
            params={"title": "Alpha"},
            after=paging.decode_cursor(pages["Alpha"].after),
        )
        assert [row.title for row in older.items] == ["Alpha"]
        assert older.items[0].id < pages["Alpha"].items[0].id
        assert older.after is None and older.before is not None
        newer = paging.newest_page(
            query,
            moment=Requisition.created_at,
            row_id=Requisition.id,
            key=lambda row: (row.created_at, row.id),
            per_page=1,
            params={"title": "Alpha"},
            before=paging.decode_cursor(older.before),
        )
        assert [row.id for row in newer.items] == [pages["Alpha"].items[0].id]
