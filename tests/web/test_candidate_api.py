"""GET /api/v1/candidates (search, filters, keyset pages), GET and PATCH of one candidate."""

from __future__ import annotations

from sqlalchemy import select

from app.db import db
from app.models import AuditEvent, Candidate, CandidateTag, User
from app.services import hiring
from tests.conftest import login_as


def add(app, users, name: str, email: str, **fields) -> int:
    with app.app_context():
        actor = db.session.get(User, users["recruiter"])
        candidate = hiring.add_candidate(
            hiring.CandidateDetails(name=name, email=email), actor=actor
        )
        for key, value in fields.items():
            setattr(candidate, key, value)
        db.session.commit()
        return candidate.id


def test_the_list_searches_and_pages_with_next(app, client, users):
    ids = [
        add(app, users, f"Kim {n}", f"kim{n}@example.org", cv_text="Gainsight") for n in range(3)
    ]
    add(app, users, "Lee", "lee@example.org")
    login_as(app, client, users["recruiter"])
    first = client.get("/api/v1/candidates?q=gainsight&per_page=2")
    assert first.status_code == 200
    assert [c["id"] for c in first.json["items"]] == [ids[2], ids[1]]
    assert first.json["next"] == f"/api/v1/candidates?after={ids[1]}&q=gainsight&per_page=2"
    second = client.get(first.json["next"]).json
    assert [c["id"] for c in second["items"]] == [ids[0]]
    assert second["next"] is None
    assert client.get("/api/v1/candidates?q=zzz").json["items"] == []


def test_the_list_filters_and_names_bad_parameters(app, client, users):
    tagged = add(app, users, "Tia", "tia@example.org")
    add(app, users, "Uma", "uma@example.org")
    with app.app_context():
        db.session.add(CandidateTag(candidate_id=tagged, tag="sql"))
        db.session.commit()
    login_as(app, client, users["recruiter"])
    assert [c["id"] for c in client.get("/api/v1/candidates?tag=SQL").json["items"]] == [tagged]
    assert client.get("/api/v1/candidates?tag=SQL").json["items"][0]["tags"] == ["sql"]
    bad = client.get("/api/v1/candidates?status=lost&created_from=soon&page=2&after=x")
    assert bad.status_code == 422
    assert set(bad.json["error"]["fields"]) == {"status", "created_from", "page", "after"}


def test_one_candidate_with_applications_is_audited(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    candidate_id = hiring_objects["candidate_id"]
    body = client.get(f"/api/v1/candidates/{candidate_id}").json
    assert body["name"] == "Casey Candidate"
    assert body["tags"] == [] and body["links"] == [] and body["notes"] is None
    (application,) = body["applications"]
    assert application["id"] == hiring_objects["application_id"]
    assert application["stage"]["id"] == "recruiter-screening"
    assert application["source"] == "sourced"
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "candidate.view", AuditEvent.channel == "api")
            .order_by(AuditEvent.id.desc())
        ).first()
        assert event.object_id == str(candidate_id)
    login_as(app, client, users["hiring_manager"])
    assert client.get(f"/api/v1/candidates/{candidate_id}").status_code == 404


def test_patch_changes_only_what_is_sent(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    candidate_id = hiring_objects["candidate_id"]
    with app.app_context():
        version = db.session.get(Candidate, candidate_id).version
    response = client.patch(
        f"/api/v1/candidates/{candidate_id}",
        json={
            "version": version,
            "phone": "+49 30 1234",
            "links": ["https://casey.example.org"],
            "tags": ["Python", "go"],
            "notes": "Prefers remote",
        },
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert body["phone"] == "+49 30 1234" and body["email"] == "casey@example.org"
    assert body["tags"] == ["go", "python"] and body["links"] == ["https://casey.example.org"]
    assert body["version"] == version + 1
    stale = client.patch(
        f"/api/v1/candidates/{candidate_id}", json={"version": version, "phone": None}
    )
    assert stale.status_code == 409
    assert stale.json["error"]["current_version"] == version + 1
    assert stale.json["error"]["title"] == "Changed meanwhile"
    assert stale.json["error"]["conflict"] == "stale"
    bad = client.patch(
        f"/api/v1/candidates/{candidate_id}",
        json={"version": version + 1, "links": ["ftp://x.org"], "tags": ["ok"]},
    )
    assert bad.status_code == 422 and set(bad.json["error"]["fields"]) == {"links"}
    other = add(app, users, "Other", "other@example.org")
    taken = client.patch(
        f"/api/v1/candidates/{candidate_id}",
        json={"version": version + 1, "email": "other@example.org"},
    )
    assert taken.status_code == 422
    assert "Another candidate record (Other)" in taken.json["error"]["fields"]["email"][0]
    assert f"#{other}" not in taken.json["error"]["fields"]["email"][0]
    missing = client.patch(f"/api/v1/candidates/{candidate_id}", json={"phone": "1"})
    assert missing.status_code == 422 and "version" in missing.json["error"]["fields"]
