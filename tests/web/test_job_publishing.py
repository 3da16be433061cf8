"""Recruiters publish, unpublish and edit a requisition's posting (web and API)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.db import db
from app.models import AuditEvent, Requisition, Role, User
from app.services import api_tokens, hiring
from pipelines.postings import EmploymentType
from pipelines.requisitions import RequisitionStatus
from tests.conftest import login_as


def _requisition(app, users, recruiter_key: str = "recruiter") -> int:
    with app.app_context():
        recruiter = db.session.get(User, users[recruiter_key])
        req = hiring.create_requisition(
            title="CSM, Lisbon",
            level_id="csm",
            specialty_id=None,
            hiring_manager=db.session.get(User, users["hiring_manager"]),
            recruiter=recruiter,
            headcount=1,
            actor=recruiter,
        )
        return req.id


def _req(app, rid: int) -> Requisition:
    with app.app_context():
        req = db.session.get(Requisition, rid)
        db.session.expunge(req)
        return req


def _actions(app, rid: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.object_type == "requisition", AuditEvent.object_id == str(rid))
                .order_by(AuditEvent.id)
            )
        )


def test_a_recruiter_writes_publishes_and_unpublishes(app, client, users):
    rid = _requisition(app, users)
    login_as(app, client, users["recruiter"])
    assert client.get(f"/hiring/requisitions/{rid}").get_data(as_text=True).count("/posting") >= 1
    page = client.get(f"/hiring/requisitions/{rid}/posting").get_data(as_text=True)
    assert "not published" in page
    version = _req(app, rid).version
    # Publishing needs a location.
    response = client.post(f"/hiring/requisitions/{rid}/posting/publish", data={"version": version})
    assert response.status_code == 302
    assert _req(app, rid).published_at is None
    assert "Give a location before publishing" in client.get(
        f"/hiring/requisitions/{rid}/posting"
    ).get_data(as_text=True)
    response = client.post(
        f"/hiring/requisitions/{rid}/posting",
        data={
            "intro": "Join our Lisbon office.",
            "location": "Lisbon, Portugal",
            "employment_type": "PART_TIME",
            "valid_through": "2099-12-31",
            "version": version,
        },
    )
    assert response.status_code == 302
    saved = _req(app, rid)
    assert saved.posting_intro == "Join our Lisbon office."
    assert saved.employment_type is EmploymentType.PART_TIME
    assert client.get(f"/jobs/{rid}").status_code == 404
    preview = client.get(f"/hiring/requisitions/{rid}/posting/preview").get_data(as_text=True)
    assert "Join our Lisbon office." in preview and "not on the careers site" in preview
    client.post(f"/hiring/requisitions/{rid}/posting/publish", data={"version": saved.version})
    published = _req(app, rid)
    assert published.published_at is not None
    client.logout() if hasattr(client, "logout") else None
    public = client.get(f"/jobs/{rid}")
    assert public.status_code == 200 and "Join our Lisbon office." in public.get_data(as_text=True)
    client.post(
        f"/hiring/requisitions/{rid}/posting/unpublish", data={"version": published.version}
    )
    assert _req(app, rid).published_at is None
    assert client.get(f"/jobs/{rid}").status_code == 404
    assert _actions(app, rid)[-3:] == [
        "requisition.posting",
        "requisition.publish",
        "requisition.unpublish",
    ]


def test_a_stale_version_is_refused_with_a_message(app, client, users):
    rid = _requisition(app, users)
    login_as(app, client, users["recruiter"])
    stale = _req(app, rid).version
    data = {"location": "Porto, Portugal", "employment_type": "FULL_TIME"}
    assert (
        client.post(
            f"/hiring/requisitions/{rid}/posting", data={**data, "version": stale}
        ).status_code
        == 302
    )
    response = client.post(
        f"/hiring/requisitions/{rid}/posting",
        data={**data, "location": "Faro, Portugal", "version": stale},
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.get_data(as_text=True)
    assert _req(app, rid).posting_location == "Porto, Portugal"


def test_only_an_open_requisition_is_published(app, client, users):
    rid = _requisition(app, users)
    with app.app_context():
        req = db.session.get(Requisition, rid)
        req.posting_location = "Lisbon, Portugal"
        req.status = RequisitionStatus.ON_HOLD
        db.session.commit()
        version = req.version
    login_as(app, client, users["recruiter"])
    client.post(f"/hiring/requisitions/{rid}/posting/publish", data={"version": version})
    assert _req(app, rid).published_at is None
    page = client.get(f"/hiring/requisitions/{rid}/posting").get_data(as_text=True)
    assert "only an open requisition can be published" in page.lower()


def test_the_hiring_manager_looks_but_does_not_edit(app, client, users):
    rid = _requisition(app, users)
    login_as(app, client, users["hiring_manager"])
    page = client.get(f"/hiring/requisitions/{rid}/posting")
    assert page.status_code == 200
    assert "Save posting" not in page.get_data(as_text=True)
    version = _req(app, rid).version
    response = client.post(
        f"/hiring/requisitions/{rid}/posting", data={"location": "X", "version": version}
    )
    assert response.status_code == 403


def test_another_recruiter_may_not_edit_the_posting(app, client, users, make_user):
    rid = _requisition(app, users)
    other = make_user("other.recruiter@example.org", (Role.RECRUITER,))
    login_as(app, client, other)
    version = _req(app, rid).version
    response = client.post(f"/hiring/requisitions/{rid}/posting/publish", data={"version": version})
    assert response.status_code == 403


# --- API -------------------------------------------------------------------------------


def _token(app, user_id: int) -> dict[str, str]:
    with app.app_context():
        _row, raw = api_tokens.issue(db.session.get(User, user_id), actor=None, scope="write")
    return {"Authorization": f"Bearer {raw}"}


def _patch(client, rid: int, headers: dict[str, str], **body: Any):
    return client.patch(f"/api/v1/requisitions/{rid}", json=body, headers=headers)


def test_api_publishes_and_edits_the_posting(app, client, users):
    rid = _requisition(app, users)
    headers = _token(app, users["recruiter"])
    version = _req(app, rid).version
    response = _patch(
        client,
        rid,
        headers,
        version=version,
        posting_location="Germany",
        posting_remote=True,
        posting_intro="Remote within Germany.",
        published=True,
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["posting"]["published"] is True and body["posting"]["live"] is True
    assert body["posting"]["remote"] is True
    listed = client.get("/api/v1/jobs").get_json()
    assert rid in [item["id"] for item in listed["items"]]
    # Closing the requisition takes it off the careers site, the posting stays published.
    response = _patch(client, rid, headers, version=body["version"], status="closed")
    assert response.status_code == 200
    assert response.get_json()["posting"] == {**body["posting"], "live": False}
    assert client.get(f"/api/v1/jobs/{rid}").status_code == 404
    assert _actions(app, rid)[-3:] == [
        "requisition.posting",
        "requisition.publish",
        "requisition.update",
    ]


def test_api_refuses_publishing_a_requisition_that_is_not_open(app, client, users):
    rid = _requisition(app, users)
    headers = _token(app, users["recruiter"])
    version = _req(app, rid).version
    before = _actions(app, rid)
    response = _patch(
        client,
        rid,
        headers,
        version=version,
        status="on_hold",
        posting_location="Lisbon, Portugal",
        published=True,
    )
    assert response.status_code == 422
    assert "published" in response.get_json()["error"]["fields"]
    assert _actions(app, rid) == before  # nothing written
    response = _patch(client, rid, headers, version=version, published=True)
    assert response.status_code == 422
    assert "posting_location" in response.get_json()["error"]["fields"]


def test_api_stale_version_is_409(app, client, users):
    rid = _requisition(app, users)
    headers = _token(app, users["recruiter"])
    version = _req(app, rid).version
    assert _patch(client, rid, headers, version=version, headcount=2).status_code == 200
    response = _patch(client, rid, headers, version=version, headcount=3)
    assert response.status_code == 409
    assert response.get_json()["error"]["current_version"] == version + 1
    assert _req(app, rid).headcount == 2


def test_api_posting_fields_need_the_requisitions_recruiter(app, client, users, make_user):
    rid = _requisition(app, users)
    other = make_user("other.recruiter@example.org", (Role.RECRUITER,))
    headers = _token(app, other)
    version = _req(app, rid).version
    response = _patch(client, rid, headers, version=version, posting_intro="Hello")
    assert response.status_code == 403
    # The requisition's general fields stay open to every recruiter, as on the web.
    assert _patch(client, rid, headers, version=version, title="CSM, Porto").status_code == 200


def test_api_needs_version_and_names_bad_values(app, client, users):
    rid = _requisition(app, users)
    headers = _token(app, users["recruiter"])
    response = _patch(client, rid, headers, title="x")
    assert response.status_code == 422
    assert "version" in response.get_json()["error"]["fields"]
    version = _req(app, rid).version
    response = _patch(client, rid, headers, version=version, employment_type="SOMETIMES")
    assert response.status_code in (400, 422)
    response = _patch(client, rid, headers, version=version, posting_intro="x" * 5001)
    assert response.status_code == 422
    assert "posting_intro" in response.get_json()["error"]["fields"]


def test_a_posting_past_its_last_day_is_not_called_published_anywhere(app, client, users):
    from datetime import timedelta

    from app.clock import utcnow

    rid = _requisition(app, users)
    with app.app_context():
        req = db.session.get(Requisition, rid)
        req.posting_location = "Lisbon, Portugal"
        req.published_at = utcnow()
        req.posting_valid_through = utcnow().date() - timedelta(days=1)
        db.session.commit()
    login_as(app, client, users["recruiter"])
    board = client.get(f"/hiring/requisitions/{rid}").get_data(as_text=True)
    assert "Posting (published)" not in board and "View posting" not in board
    assert client.get(f"/api/v1/requisitions/{rid}").json["posting"]["live"] is False
    assert client.get(f"/jobs/{rid}").status_code == 404
    with app.app_context():
        db.session.get(Requisition, rid).posting_valid_through = None
        db.session.commit()
    board = client.get(f"/hiring/requisitions/{rid}").get_data(as_text=True)
    assert "Posting (published)" in board and "View posting" in board
    assert client.get(f"/api/v1/requisitions/{rid}").json["posting"]["live"] is True
