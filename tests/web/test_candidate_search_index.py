"""The search index follows every change of a candidate, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import select

from app.db import db
from app.models import Candidate, User
from app.services import candidate_search, hiring


def found(query: str) -> list[str]:
    clause = candidate_search.matching(query)
    statement = select(Candidate.name).order_by(Candidate.id)
    if clause is not None:
        statement = statement.where(clause)
    return list(db.session.scalars(statement))


def add(name: str, email: str, actor: User) -> Candidate:
    return hiring.add_candidate(hiring.CandidateDetails(name=name, email=email), actor=actor)


def test_search_finds_by_word_prefixes_across_fields_and_follows_changes(app, users):
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        zoe = add("Zoë Núñez", "zoe@example.org", recruiter)
        add("Casey Candidate", "casey@sample.net", recruiter)
        assert found("zoe") == ["Zoë Núñez"]
        assert found("NUN") == ["Zoë Núñez"]
        assert found("sample") == ["Casey Candidate"]
        assert found("zoe casey") == []
        assert found("  ") == ["Zoë Núñez", "Casey Candidate"]

        zoe.cv_text = "Ran Kubernetes clusters; Salesforce admin."
        db.session.commit()
        assert found("kube sales") == ["Zoë Núñez"]

        zoe.notes = "Met at the Lisbon meetup"
        zoe.cv_text = None
        db.session.commit()
        assert found("kubernetes") == []
        assert found("lisbon") == ["Zoë Núñez"]


def test_an_erased_candidate_is_found_by_nothing(app, users):
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        zoe = add("Zoë Núñez", "zoe@example.org", recruiter)
        assert found("zoe") == ["Zoë Núñez"]
        from app.clock import utcnow

        zoe.erased_at = utcnow()
        db.session.commit()
        assert found("zoe") == []
        assert zoe.search_text == ""
