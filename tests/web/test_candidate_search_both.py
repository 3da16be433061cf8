"""Search finds the same candidates on SQLite and PostgreSQL: a fixed set of candidates and
a list of queries with their exact expected answers. The suite runs on both databases
(TEST_DATABASE_URL), so both runs check these same lists. On PostgreSQL the search uses the
GIN index ix_candidates_search."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.db import db
from app.hiring import candidate_queries as cq
from app.models import User
from app.services import hiring

PEOPLE = [
    # (name, e-mail, notes, CV text)
    ("Zoë Núñez", "zoe.nunez@example.org", None, "Kubernetes operator; Salesforce admin"),
    ("François Lefèvre", "f.lefevre@exemple.fr", "Met at the Lyon meetup", None),
    ("Søren Kierkegaard", "soren@example.dk", None, "Customer success at Gainsight-scale SaaS"),
    ("Renée O'Brien", "renee.obrien@example.ie", "Prefers remote; C++ background", None),
    ("Björn Åberg", "bjorn@example.se", None, "Zendesk, Jira Service Management, SQL"),
    ("José Álvarez", "jose@ejemplo.es", "Speaks Spanish and Portuguese", "Salesforce CPQ"),
    ("Ana Nunes", "ana.nunes@example.pt", None, "Onboarding 40 enterprise accounts"),
]

QUERIES = [
    ("zoe", ["Zoë Núñez"]),
    ("ZOË", ["Zoë Núñez"]),
    ("nun", ["Ana Nunes", "Zoë Núñez"]),
    ("nunez", ["Zoë Núñez"]),
    ("francois", ["François Lefèvre"]),
    ("lefevre lyon", ["François Lefèvre"]),
    ("lyon zendesk", []),
    ("sales", ["José Álvarez", "Zoë Núñez"]),
    ("salesforce cpq", ["José Álvarez"]),
    ("kube", ["Zoë Núñez"]),
    ("example", ["Ana Nunes", "Björn Åberg", "Renée O'Brien", "Søren Kierkegaard", "Zoë Núñez"]),
    ("exemple.fr", ["François Lefèvre"]),
    ("o'brien", ["Renée O'Brien"]),
    # Only words are searched: "c++" is the prefix "c" (C++, CPQ, customer).
    ("c++", ["José Álvarez", "Renée O'Brien", "Søren Kierkegaard"]),
    ("soren", ["Søren Kierkegaard"]),
    ("aberg", ["Björn Åberg"]),
    ("gainsight-scale", ["Søren Kierkegaard"]),
    ("40 enterprise", ["Ana Nunes"]),
    ("portuguese spanish", ["José Álvarez"]),
    ("jose@ejemplo.es", ["José Álvarez"]),
    ("   ", None),  # no words: no filter, everyone
    ("!!!", None),
    ("zzz", []),
]


@pytest.fixture
def people(app, users):
    with app.app_context():
        actor = db.session.get(User, users["recruiter"])
        for name, email, notes, cv in PEOPLE:
            candidate = hiring.add_candidate(
                hiring.CandidateDetails(name=name, email=email), actor=actor
            )
            candidate.notes = notes
            candidate.cv_text = cv
        db.session.commit()


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_the_same_candidates_are_found_on_either_database(app, people, query, expected):
    with app.app_context():
        found = sorted(
            c.name for c in db.session.scalars(cq.candidate_search(cq.CandidateFilters(q=query)))
        )
    assert found == (sorted(p[0] for p in PEOPLE) if expected is None else expected)


@pytest.mark.parametrize(("query", "expected"), QUERIES[:10])
def test_common_words_give_the_same_answers(app, people, monkeypatch, query, expected):
    """On PostgreSQL a search matching more than SPARSE_LIMIT candidates walks them newest
    first instead of reading the index: the answers are the same."""
    monkeypatch.setattr(cq, "SPARSE_LIMIT", 0)
    with app.app_context():
        found = sorted(
            c.name for c in db.session.scalars(cq.candidate_search(cq.CandidateFilters(q=query)))
        )
    assert found == (sorted(p[0] for p in PEOPLE) if expected is None else expected)


def test_postgresql_reads_the_matches_from_the_gin_index(app, people):
    with app.app_context():
        if db.session.get_bind().dialect.name != "postgresql":
            pytest.skip("PostgreSQL only (the suite also runs on it)")
        # Enough rows that reading them all would cost more than the index, as in use.
        db.session.execute(
            text(
                "INSERT INTO candidates (name, email, search_text, created_at, version) "
                "SELECT 'Filler ' || g, 'filler' || g || '@example.org', "
                "'filler word' || g || ' customer success', now(), 1 "
                "FROM generate_series(1, 20000) AS g"
            )
        )
        db.session.execute(text("ANALYZE candidates"))
        probes: list[tuple[str, object]] = []

        def keep(conn, cursor, statement, parameters, context, executemany):
            if "EXPLAIN" not in statement and "LIMIT" in statement:
                probes.append((statement, parameters))

        from sqlalchemy import event

        connection = db.session.connection()
        event.listen(connection, "before_cursor_execute", keep)
        try:
            statement = cq.candidate_search(cq.CandidateFilters(q="salesforce"))
        finally:
            event.remove(connection, "before_cursor_execute", keep)
        # A rare word: the search is the ids read from the index.
        assert "= ANY (" in str(statement.compile(compile_kwargs={"literal_binds": True}))
        ((probe, parameters),) = probes
        rows = connection.exec_driver_sql("EXPLAIN " + probe, parameters)
        plan = "\n".join(row[0] for row in rows)
        db.session.rollback()
    assert "ix_candidates_search" in plan, plan
