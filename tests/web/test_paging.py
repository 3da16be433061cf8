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
    from tests.web.test_hiring_pages import populate

    populate(app, users, 2, "Alpha")
    populate(app, users, 1, "Beta")
    query = select(Requisition.id, Requisition.title, Requisition.created_at).where(
        Requisition.title.startswith(bindparam("title"))
    )

    def page(title: str, **position: object) -> paging.KeysetPage:
        return paging.newest_page(
            query,
            moment=Requisition.created_at,
            row_id=Requisition.id,
            key=lambda row: (row.created_at, row.id),
            per_page=1,
            params={"title": title},
            **position,
        )

    with app.app_context():
        alpha, beta = page("Alpha"), page("Beta")
        assert [row.title for row in alpha.items] == ["Alpha 1"]
        assert [row.title for row in beta.items] == ["Beta 0"]
        assert alpha.after is not None and beta.after is None
        older = page("Alpha", after=paging.decode_cursor(alpha.after))
        assert [row.title for row in older.items] == ["Alpha 0"]
        assert older.after is None and older.before is not None
        newer = page("Alpha", before=paging.decode_cursor(older.before))
        assert [row.title for row in newer.items] == ["Alpha 1"]
