"""Referrals: any team member refers someone; the referrer sees only the three-way status
of their own referrals; the source and the referrer show to the hiring staff (board,
application page, API); recruiters choose among their own sources."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.db import db
from app.models import Application, AuditEvent, Candidate, Requisition, Role, User
from app.services import api_tokens, hiring, referrals
from pipelines.applications import ApplicationStatus
from pipelines.referrals import ALREADY_CONSIDERED, MAX_NOTE
from pipelines.requisitions import RequisitionStatus
from pipelines.sources import ApplicationSource
from tests.conftest import MINIMAL_PDF, login_as

API = "/api/v1"
WHY = "We shipped the billing migration together; she ran every customer call."


def bearer(app: Flask, user_id: int) -> dict[str, str]:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        _token, raw = api_tokens.issue(user, actor=None)
    return {"Authorization": f"Bearer {raw}"}


def second_requisition(app: Flask, users: dict[str, int], title: str = "CSA, Americas") -> int:
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        requisition = hiring.create_requisition(
            title=title,
            level_id="csa",
            specialty_id=None,
            hiring_manager=db.session.get(User, users["hiring_manager"]),
            recruiter=recruiter,
            headcount=1,
            actor=recruiter,
        )
        return requisition.id


def refer(app: Flask, referrer_id: int, requisition_id: int, name: str, email: str) -> int:
    """A referral made through the service; the application id."""
    with app.app_context():
        application = referrals.refer(
            db.session.get(Requisition, requisition_id),
            name=name,
            email=email,
            note=WHY,
            referrer=db.session.get(User, referrer_id),
        )
        return application.id


def form(requisition_id: int, **extra: object) -> dict[str, object]:
    return {
        "requisition_id": str(requisition_id),
        "name": "Robin Referred",
        "email": "Robin@Example.net",
        "note": WHY,
        "agreement": "y",
        **extra,
    }


def application_of(app: Flask, email: str, requisition_id: int) -> Application:
    with app.app_context():
        application = db.session.scalar(
            select(Application)
            .join(Candidate)
            .where(Candidate.email == email, Application.requisition_id == requisition_id)
        )
        assert application is not None
        db.session.expunge(application)
        return application


# --- referring on the web -------------------------------------------------------------


def test_a_team_member_refers_someone_with_a_cv(app, client, users, hiring_objects):
    requisition_id = hiring_objects["requisition_id"]
    login_as(app, client, users["team_member"])
    page = client.get("/referrals/new")
    assert page.status_code == 200
    assert "Senior CSM, EMEA — Senior CSM, grade 7" in page.text
    response = client.post(
        "/referrals/new",
        data=form(requisition_id, cv=(io.BytesIO(MINIMAL_PDF), "robin.pdf")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/referrals")
    application = application_of(app, "robin@example.net", requisition_id)
    assert application.source is ApplicationSource.REFERRAL
    assert application.referrer_id == users["team_member"]
    assert application.referral_note == WHY
    assert application.status is ApplicationStatus.ACTIVE
    assert application.stage_id == "recruiter-screening"
    with app.app_context():
        candidate = db.session.get(Candidate, application.candidate_id)
        assert candidate.name == "Robin Referred"
        assert candidate.cv_kind == "pdf"
        # The referrer cannot give the candidate's consent: the recruiter asks at the screen.
        assert candidate.consent_on is None and candidate.consent_version is None
        actions = set(
            db.session.scalars(
                select(AuditEvent.action).where(AuditEvent.actor_id == users["team_member"])
            )
        )
        assert {"candidate.create", "referral.create", "application.open"} <= actions
        opened = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "application.open",
                AuditEvent.object_id == str(application.id),
            )
        )
        assert opened.summary["source"] == "referral"
        assert opened.summary["referrer_id"] == users["team_member"]
    mine = client.get("/referrals", follow_redirects=True)
    assert "Robin Referred" in mine.text
    assert "Senior CSM, EMEA" in mine.text
    assert "In process" in mine.text
    assert "Recruiter screen" not in mine.text


@pytest.mark.parametrize("role", ["admin", "recruiter", "hiring_manager", "interviewer"])
def test_every_role_may_refer(app, client, users, hiring_objects, role):
    login_as(app, client, users[role])
    response = client.post("/referrals/new", data=form(hiring_objects["requisition_id"]))
    assert response.status_code == 302
    application = application_of(app, "robin@example.net", hiring_objects["requisition_id"])
    assert application.referrer_id == users[role]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"agreement": ""}, "agreement", "Confirm that the person agreed to be referred."),
        ({"note": ""}, "note", "Say why you recommend this person."),
        ({"note": "x" * (MAX_NOTE + 1)}, "note", f"longer than {MAX_NOTE} characters"),
        ({"email": "not an address"}, "email", "Invalid email address."),
        ({"name": ""}, "name", "This field is required."),
        ({"requisition_id": "0"}, "requisition_id", "Choose a role."),
        ({"requisition_id": "99999999999"}, "requisition_id", "Choose a role."),
        ({"requisition_id": "abc"}, "requisition_id", "Choose a role."),
        ({"requisition_id": "424242"}, "requisition_id", "There is no open requisition 424242."),
    ],
)
def test_bad_input_names_the_field(app, client, users, hiring_objects, change, field, message):
    login_as(app, client, users["team_member"])
    data = {**form(hiring_objects["requisition_id"]), **change}
    response = client.post("/referrals/new", data=data)
    assert response.status_code == 422
    assert f'id="{field}-help"' in response.text
    assert message in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Candidate)) == 1


def test_a_cv_that_is_not_one_is_refused(app, client, users, hiring_objects):
    login_as(app, client, users["team_member"])
    response = client.post(
        "/referrals/new",
        data=form(hiring_objects["requisition_id"], cv=(io.BytesIO(b"MZ\x90\x00"), "cv.pdf")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert 'id="cv-help"' in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Candidate)) == 1


def test_a_closed_requisition_takes_no_referral(app, client, users, hiring_objects):
    requisition_id = hiring_objects["requisition_id"]
    with app.app_context():
        db.session.get(Requisition, requisition_id).status = RequisitionStatus.CLOSED
        db.session.commit()
    login_as(app, client, users["team_member"])
    assert "Senior CSM, EMEA" not in client.get("/referrals/new").text
    response = client.post("/referrals/new", data=form(requisition_id))
    assert response.status_code == 422
    assert f"There is no open requisition {requisition_id}." in response.text


def test_a_known_candidate_gets_a_new_application_on_the_same_record(
    app, client, users, hiring_objects
):
    other = second_requisition(app, users)
    login_as(app, client, users["team_member"])
    response = client.post(
        "/referrals/new",
        data=form(other, name="Somebody Else", email="CASEY@example.org"),
    )
    assert response.status_code == 302
    application = application_of(app, "casey@example.org", other)
    assert application.candidate_id == hiring_objects["candidate_id"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Candidate)) == 1
        # Their record is not overwritten by what the referrer typed.
        assert db.session.get(Candidate, hiring_objects["candidate_id"]).name == "Casey Candidate"
    # ...and the referrer sees the name they gave, never the one the record holds.
    mine = client.get("/referrals").get_data(as_text=True)
    assert "Somebody Else" in mine and "Casey Candidate" not in mine
    listed = client.get("/api/v1/referrals").json["items"]
    assert [item["candidate"]["name"] for item in listed] == ["Somebody Else"]


def test_someone_already_in_the_pipeline_is_answered_without_details(
    app, client, users, hiring_objects
):
    requisition_id = hiring_objects["requisition_id"]
    login_as(app, client, users["team_member"])
    response = client.post(
        "/referrals/new",
        data=form(requisition_id, email="casey@example.org"),
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert ALREADY_CONSIDERED in response.text
    for secret in ("Casey Candidate", "Recruiter screen", "active", "In process"):
        assert secret not in response.text
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Application)
                .where(Application.referrer_id.is_not(None))
            )
            == 0
        )
    api = client.post(
        f"{API}/referrals",
        json={
            "requisition_id": requisition_id,
            "name": "X",
            "email": "casey@example.org",
            "note": WHY,
        },
        headers=bearer(app, users["team_member"]),
    )
    assert api.status_code == 409
    assert api.json["error"]["detail"] == ALREADY_CONSIDERED
    assert api.json["error"]["title"] == "Not possible now"
    assert set(api.json["error"]) == {"status", "title", "detail", "conflict"}


def test_referring_the_same_person_twice_is_absorbed(app, client, users, hiring_objects):
    requisition_id = hiring_objects["requisition_id"]
    refer(app, users["team_member"], requisition_id, "Robin", "robin@example.net")
    login_as(app, client, users["interviewer"])
    response = client.post("/referrals/new", data=form(requisition_id), follow_redirects=True)
    assert ALREADY_CONSIDERED in response.text
    # The second referrer learns nothing of the first referral.
    assert "Robin" not in response.text.split("</header>", 1)[1]


# --- what the referrer sees -----------------------------------------------------------


def test_my_referrals_are_the_referrers_own_and_status_only(app, client, users, hiring_objects):
    requisition_id = hiring_objects["requisition_id"]
    mine = refer(app, users["team_member"], requisition_id, "Robin Referred", "robin@x.net")
    declined = refer(app, users["team_member"], requisition_id, "Dee Declined", "dee@x.net")
    withdrawn = refer(app, users["team_member"], requisition_id, "Wes Withdrew", "wes@x.net")
    theirs = refer(app, users["interviewer"], requisition_id, "Ian Theirs", "ian@x.net")
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        hiring.decline_application(
            db.session.get(Application, declined),
            actor=recruiter,
            reason_code="compensation",
            note="Asked for twice the band.",
            expected_version=None,
        )
        hiring.withdraw_application(
            db.session.get(Application, withdrawn),
            actor=recruiter,
            reason="Took a job at a competitor.",
            expected_version=None,
        )
    login_as(app, client, users["team_member"])
    page = client.get("/referrals").text
    assert "Robin Referred" in page and "Dee Declined" in page and "Wes Withdrew" in page
    assert "Ian Theirs" not in page
    assert page.count("Not moving forward") == 2
    assert page.count("In process") == 1
    for secret in ("Compensation", "twice the band", "competitor", "Recruiter screen", "declined"):
        assert secret not in page
    listed = client.get(f"{API}/referrals", headers=bearer(app, users["team_member"])).json
    assert [r["id"] for r in listed["items"]] == [withdrawn, declined, mine]
    assert {r["status"] for r in listed["items"]} == {"in_process", "not_moving_forward"}
    assert set(listed["items"][0]) == {
        "id",
        "candidate",
        "requisition",
        "referred_at",
        "status",
        "status_label",
    }
    assert set(listed["items"][0]["candidate"]) == {"name"}
    # Another team member sees none of them, and cannot read one by its id.
    login_as(app, client, users["interviewer"])
    other = client.get("/referrals").text
    assert "Ian Theirs" in other and "Robin Referred" not in other
    headers = bearer(app, users["interviewer"])
    assert client.get(f"{API}/referrals/{mine}", headers=headers).status_code == 404
    assert client.get(f"{API}/referrals/{theirs}", headers=headers).status_code == 200


def test_a_hired_referral_shows_hired(app, users, hiring_objects):
    from app.referrals.queries import referrals_of

    application_id = refer(
        app, users["team_member"], hiring_objects["requisition_id"], "Hana Hired", "hana@x.net"
    )
    with app.app_context():
        db.session.get(Application, application_id).status = ApplicationStatus.HIRED
        db.session.commit()
        page = referrals_of(users["team_member"], after=None, per_page=10)
        assert [r.status.label for r in page.items] == ["Hired"]


@pytest.mark.parametrize("role", ["team_member", "interviewer"])
def test_the_referrer_cannot_open_what_their_role_does_not_allow(
    app, client, users, hiring_objects, role
):
    application_id = refer(
        app, users[role], hiring_objects["requisition_id"], "Robin", "robin@example.net"
    )
    with app.app_context():
        candidate_id = db.session.get(Application, application_id).candidate_id
    login_as(app, client, users[role])
    assert client.get(f"/hiring/applications/{application_id}").status_code == 403
    assert client.get(f"/hiring/applications/{application_id}/feedback").status_code == 404
    assert client.get(f"/hiring/candidates/{candidate_id}/cv").status_code in (403, 404)
    headers = bearer(app, users[role])
    assert client.get(f"{API}/applications/{application_id}", headers=headers).status_code == 404


def test_a_referring_hiring_manager_of_another_requisition_sees_status_only(
    app, client, make_user, users, hiring_objects
):
    other_manager = make_user("other.hm@example.org", (Role.HIRING_MANAGER,))
    application_id = refer(
        app, other_manager, hiring_objects["requisition_id"], "Robin", "robin@example.net"
    )
    login_as(app, client, other_manager)
    assert client.get(f"/hiring/applications/{application_id}").status_code == 404
    assert "In process" in client.get("/referrals").text


def test_my_referrals_pages_by_keyset_in_constant_queries(
    app, client, users, hiring_objects, count_queries
):
    requisition_id = hiring_objects["requisition_id"]
    login_as(app, client, users["team_member"])
    app.config["REFERRALS_PAGE_SIZE"] = 3
    try:
        refer(app, users["team_member"], requisition_id, "Person 0", "p0@x.net")
        with count_queries() as few:
            assert client.get("/referrals").status_code == 200
        ids = [
            refer(app, users["team_member"], requisition_id, f"Person {n}", f"p{n}@x.net")
            for n in range(1, 8)
        ]
        with count_queries() as many:
            first = client.get("/referrals")
        assert many.count == few.count, many.statements
        assert "Person 7" in first.text and "Person 4" not in first.text
        second = client.get(f"/referrals?after={ids[4]}")
        assert "Person 4" in second.text and "Person 2" in second.text
        assert "Person 5" not in second.text and "Person 1" not in second.text
        assert client.get("/referrals?after=nonsense").status_code == 400
        assert client.get("/referrals?after=99999999999").status_code == 400
    finally:
        app.config.pop("REFERRALS_PAGE_SIZE")


def test_the_api_list_follows_next_links(app, client, users, hiring_objects, count_queries):
    headers = bearer(app, users["team_member"])
    ids = [
        refer(app, users["team_member"], hiring_objects["requisition_id"], f"P{n}", f"p{n}@x.net")
        for n in range(5)
    ]
    seen, url, counts = [], f"{API}/referrals?per_page=2", []
    client.get(url, headers=headers)  # the token's first use is recorded once
    while url:
        with count_queries() as q:
            page = client.get(url, headers=headers)
        assert page.status_code == 200
        counts.append(q.count)
        seen += [r["id"] for r in page.json["items"]]
        url = page.json["next"]
    assert seen == ids[::-1]
    assert len(set(counts)) == 1, counts
    bad = client.get(f"{API}/referrals?after=x&per_page=500", headers=headers)
    assert bad.status_code == 422
    assert set(bad.json["error"]["fields"]) == {"after", "per_page"}


# --- referrals through the API --------------------------------------------------------


def test_api_referral_created(app, client, users, hiring_objects):
    response = client.post(
        f"{API}/referrals",
        json={
            "requisition_id": hiring_objects["requisition_id"],
            "name": "Api Person",
            "email": "api.person@example.net",
            "note": WHY,
        },
        headers=bearer(app, users["team_member"]),
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["candidate"] == {"name": "Api Person"}
    assert body["requisition"] == {
        "id": hiring_objects["requisition_id"],
        "title": "Senior CSM, EMEA",
    }
    assert body["status"] == "in_process" and body["status_label"] == "In process"
    assert response.headers["Location"].endswith(f"/api/v1/referrals/{body['id']}")
    application = application_of(app, "api.person@example.net", hiring_objects["requisition_id"])
    assert application.source is ApplicationSource.REFERRAL
    assert application.referrer_id == users["team_member"]


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"note": None}, 422, "note"),
        ({"note": "   "}, 422, "note"),
        ({"note": "x" * (MAX_NOTE + 1)}, 422, "note"),
        ({"email": "nope"}, 422, "email"),
        ({"name": ""}, 422, "name"),
        ({"requisition_id": 424242}, 422, "requisition_id"),
        ({"requisition_id": 0}, 422, "requisition_id"),
        ({"requisition_id": "1"}, 400, "requisition_id"),
        ({"stage": "offer"}, 400, "stage"),
    ],
)
def test_api_bad_input_names_the_field(app, client, users, hiring_objects, change, status, field):
    body = {
        "requisition_id": hiring_objects["requisition_id"],
        "name": "Api Person",
        "email": "api.person@example.net",
        "note": WHY,
        **change,
    }
    response = client.post(f"{API}/referrals", json=body, headers=bearer(app, users["team_member"]))
    assert response.status_code == status, response.json
    assert field in response.json["error"]["fields"]


def test_a_read_only_token_cannot_refer(app, client, users, hiring_objects):
    from app.models import TokenScope

    with app.app_context():
        user = db.session.get(User, users["team_member"])
        _token, raw = api_tokens.issue(user, actor=None, scope=TokenScope.READ)
    response = client.post(
        f"{API}/referrals",
        json={"requisition_id": 1, "name": "A", "email": "a@x.net", "note": WHY},
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 403


# --- sources for the hiring staff -----------------------------------------------------


def test_the_board_shows_each_cards_source_and_referrer(
    app, client, users, hiring_objects, count_queries
):
    requisition_id = hiring_objects["requisition_id"]
    refer(app, users["team_member"], requisition_id, "Robin Referred", "robin@example.net")
    login_as(app, client, users["recruiter"])
    with count_queries() as few:
        board = client.get(f"/hiring/requisitions/{requisition_id}")
    assert board.status_code == 200
    card = board.text.split("Robin Referred", 1)[1].split("</article>", 1)[0]
    assert "Referral" in card and "by Team_Member" in card
    casey = board.text.split("Casey Candidate", 1)[1].split("</article>", 1)[0]
    assert "Sourced by a recruiter" in casey and 'muted">by' not in casey
    for n in range(4):
        refer(app, users["interviewer"], requisition_id, f"More {n}", f"more{n}@x.net")
    with count_queries() as many:
        client.get(f"/hiring/requisitions/{requisition_id}")
    assert many.count == few.count


@pytest.mark.parametrize("role", ["recruiter", "hiring_manager"])
def test_the_application_page_shows_the_referral(app, client, users, hiring_objects, role):
    application_id = refer(
        app, users["team_member"], hiring_objects["requisition_id"], "Robin", "robin@example.net"
    )
    login_as(app, client, users[role])
    page = client.get(f"/hiring/applications/{application_id}").text
    assert "Referred by" in page and "Team_Member" in page
    assert WHY in page
    assert ">Referral</span>" in page


def test_the_application_json_has_source_and_referrer(app, client, users, hiring_objects):
    application_id = refer(
        app, users["team_member"], hiring_objects["requisition_id"], "Robin", "robin@example.net"
    )
    headers = bearer(app, users["recruiter"])
    body = client.get(f"{API}/applications/{application_id}", headers=headers).json
    assert body["source"] == "referral"
    assert body["referrer"] == {"id": users["team_member"], "name": "Team_Member"}
    assert body["referral_note"] == WHY
    plain = client.get(f"{API}/applications/{hiring_objects['application_id']}", headers=headers)
    assert plain.json["source"] == "sourced" and plain.json["referrer"] is None


@pytest.mark.parametrize(
    ("source", "status", "stored"),
    [
        (None, 201, "sourced"),
        ("agency", 201, "agency"),
        ("other", 201, "other"),
        ("referral", 422, None),
        ("careers_site", 422, None),
        ("job board", 422, None),
    ],
)
def test_api_applications_take_a_recruiter_source(
    app, client, users, hiring_objects, source, status, stored
):
    other = second_requisition(app, users)
    body = {"candidate_id": hiring_objects["candidate_id"], "requisition_id": other}
    if source is not None:
        body["source"] = source
    response = client.post(
        f"{API}/applications", json=body, headers=bearer(app, users["recruiter"])
    )
    assert response.status_code == status, response.json
    if stored is None:
        assert list(response.json["error"]["fields"]) == ["source"]
    else:
        assert response.json["source"] == stored


def test_the_recruiters_form_records_the_chosen_source(app, client, users, hiring_objects):
    requisition_id = hiring_objects["requisition_id"]
    login_as(app, client, users["recruiter"])
    page = client.get(f"/hiring/requisitions/{requisition_id}/candidates/new").text
    assert "Sourced by a recruiter" in page and "Source details" in page
    assert 'value="referral"' not in page and 'value="careers_site"' not in page
    response = client.post(
        f"/hiring/requisitions/{requisition_id}/candidates/new",
        data={
            "name": "Ada Agency",
            "email": "ada@example.net",
            "application_source": "agency",
            "source": "Acme Talent",
            "consent_on": "2026-11-30",
            "consent_version": "2026-01",
        },
    )
    assert response.status_code == 302, response.text
    application = application_of(app, "ada@example.net", requisition_id)
    assert application.source is ApplicationSource.AGENCY
    page = client.get(f"/hiring/applications/{application.id}").text
    assert ">Agency</span>" in page and "Acme Talent" in page
    refused = client.post(
        f"/hiring/requisitions/{requisition_id}/candidates/new",
        data={
            "name": "Rex",
            "email": "rex@example.net",
            "application_source": "referral",
            "consent_on": "2026-11-30",
        },
    )
    assert refused.status_code == 200
    assert 'id="application_source-help"' in refused.text


def test_adding_an_existing_candidate_records_the_source(app, client, users, hiring_objects):
    other = second_requisition(app, users)
    login_as(app, client, users["recruiter"])
    response = client.post(
        f"/hiring/requisitions/{other}/candidates/existing",
        data={"candidate_id": hiring_objects["candidate_id"], "application_source": "other"},
    )
    assert response.status_code == 302
    assert application_of(app, "casey@example.org", other).source is ApplicationSource.OTHER
    refused = client.post(
        f"/hiring/requisitions/{other}/candidates/existing",
        data={"candidate_id": hiring_objects["candidate_id"], "application_source": "referral"},
    )
    assert refused.status_code == 400


def test_every_team_member_finds_referrals_from_home(app, client, users):
    login_as(app, client, users["team_member"])
    home = client.get("/").text
    assert 'href="/referrals/new"' in home and 'href="/referrals"' in home


# --- notifications --------------------------------------------------------------------


def messages(app: Flask, kind: str) -> list[tuple[str, str, str]]:
    from app.models import OutboxMessage

    with app.app_context():
        return [
            (m.to_address, m.subject, m.text_body)
            for m in db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
            )
        ]


def test_the_recruiter_hears_of_a_new_referral(app, users, hiring_objects):
    refer(app, users["team_member"], hiring_objects["requisition_id"], "Robin", "robin@x.net")
    [(to, subject, text)] = messages(app, "referral_received")
    assert to == "recruiter@example.org"
    assert subject == "New referral for Senior CSM, EMEA: Robin"
    assert "Team_Member referred Robin" in text and "ask for it at the screen" in text
    assert WHY not in text  # the reasons stay in HireLadder


def test_the_recruiters_preference_is_respected(app, users, hiring_objects):
    with app.app_context():
        db.session.get(User, users["recruiter"]).notification_preferences = {
            "referral_received": "off"
        }
        db.session.commit()
    refer(app, users["team_member"], hiring_objects["requisition_id"], "Robin", "robin@x.net")
    assert messages(app, "referral_received") == []


def test_the_referrer_hears_of_the_outcome_only(app, users, hiring_objects):
    application_id = refer(
        app, users["team_member"], hiring_objects["requisition_id"], "Robin", "robin@x.net"
    )
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        application = db.session.get(Application, application_id)
        hiring.record_screen_outcome(
            application, passed=True, actor=recruiter, expected_version=None
        )
        hiring.advance_application(application, actor=recruiter, expected_version=None)
    assert messages(app, "referral_update") == []  # moves in between say nothing
    with app.app_context():
        hiring.decline_application(
            db.session.get(Application, application_id),
            actor=db.session.get(User, users["recruiter"]),
            reason_code="skills",
            note="Weak on the technical questions.",
            expected_version=None,
        )
    [(to, subject, text)] = messages(app, "referral_update")
    assert to == "team_member@example.org"
    assert subject == "Your referral of Robin: not moving forward"
    for secret in ("Skills", "skills", "technical", "Written assessment", "screen"):
        assert secret not in text


def test_a_cv_is_added_to_a_known_candidate_only_when_they_have_none(
    app, client, users, hiring_objects
):
    other = second_requisition(app, users)
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        bare = hiring.add_candidate(
            hiring.CandidateDetails(name="No Cv", email="nocv@example.net"), actor=recruiter
        )
        bare_id = bare.id
        casey_key = db.session.get(Candidate, hiring_objects["candidate_id"]).cv_key
    login_as(app, client, users["team_member"])
    for email in ("nocv@example.net", "casey@example.org"):
        response = client.post(
            "/referrals/new",
            data=form(other, email=email, cv=(io.BytesIO(MINIMAL_PDF), "cv.pdf")),
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Candidate, bare_id).cv_kind == "pdf"
        assert db.session.get(Candidate, hiring_objects["candidate_id"]).cv_key == casey_key


def test_the_existing_candidate_offer_has_its_own_source_select(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    page = client.post(
        f"/hiring/requisitions/{hiring_objects['requisition_id']}/candidates/new",
        data={"name": "Casey", "email": "casey@example.org", "consent_on": "2026-11-30"},
    ).text
    assert "is already a candidate" in page
    assert page.count('id="application_source"') == 1
    assert page.count('id="existing-source"') == 1


def test_a_link_to_one_role_preselects_it_even_beyond_the_bounded_list(
    app, client, users, hiring_objects, monkeypatch
):
    from app.referrals import queries

    other = second_requisition(app, users, title="Only By Link")
    monkeypatch.setattr(queries, "MAX_REQUISITION_CHOICES", 1)
    monkeypatch.setattr(
        queries.open_requisitions, "__defaults__", (1,)
    )  # the newest one only: "Only By Link"
    login_as(app, client, users["team_member"])
    page = client.get(f"/referrals/new?requisition={hiring_objects['requisition_id']}").text
    assert "Only the newest open roles are listed" in page
    assert f'<option selected value="{hiring_objects["requisition_id"]}">' in page
    assert f'value="{other}">Only By Link' in page
    assert client.get("/referrals/new?requisition=99999999999").status_code == 200
