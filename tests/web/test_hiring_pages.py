from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from markupsafe import Markup
from sqlalchemy import select, text

from app.clock import utcnow
from app.db import db
from app.models import Application, Candidate, Offer, Requisition, Role, User
from app.services import accounts, decisions, hiring
from pipelines.requisitions import RequisitionStatus
from tests.conftest import MINIMAL_PDF, login_as


@pytest.fixture
def recruiter_client(app, client, users):
    login_as(app, client, users["recruiter"])
    return client


def test_open_a_requisition_from_the_form(app, recruiter_client, users):
    page = recruiter_client.get("/hiring/requisitions/new")
    # The level picker shows grade and reports-to from the ladder.
    assert "Senior CSM (grade 7, reports to Manager, CSM / Senior Manager, CSM)" in page.text
    response = recruiter_client.post(
        "/hiring/requisitions/new",
        data={
            "level_id": "senior-csm",
            "specialty_id": "public-sector",
            "title": "",
            "hiring_manager_id": users["hiring_manager"],
            "recruiter_id": users["recruiter"],
            "headcount": 2,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        req = db.session.scalars(select(Requisition)).one()
        assert (req.level_id, req.specialty_id, req.headcount) == ("senior-csm", "public-sector", 2)
    board = recruiter_client.get(response.headers["Location"])
    for stage in (
        "Recruiter Screening",
        "Written Assessment",
        "Panel Interview",
        "Executive Interview",
        "Reference and Background Check",
    ):
        assert stage in board.text


def test_requisition_form_shows_domain_errors(app, recruiter_client, users):
    response = recruiter_client.post(
        "/hiring/requisitions/new",
        data={
            "level_id": "senior-csm",
            "specialty_id": "public-sector",
            "hiring_manager_id": users["team_member"],
            "recruiter_id": users["recruiter"],
            "headcount": 1,
        },
    )
    assert response.status_code == 200
    assert "Not a valid choice" in response.text
    with app.app_context():
        assert db.session.scalar(select(Requisition)) is None


def add_candidate(client, requisition_id, email="new@example.org", cv=None, name="New Person"):
    data = {"name": name, "email": email, "consent_on": "2026-11-01"}
    if cv is not None:
        data["cv"] = cv
    return client.post(
        f"/hiring/requisitions/{requisition_id}/candidates/new",
        data=data,
        content_type="multipart/form-data",
    )


def test_add_candidate_with_a_pdf_cv_and_download_it(app, recruiter_client, hiring_objects):
    response = add_candidate(
        recruiter_client,
        hiring_objects["requisition_id"],
        cv=(io.BytesIO(MINIMAL_PDF), "resume.pdf"),
    )
    assert response.status_code == 302
    with app.app_context():
        candidate = db.session.scalars(
            select(Candidate).where(Candidate.email == "new@example.org")
        ).one()
        assert candidate.cv_kind == "pdf" and candidate.cv_key
        assert "resume" not in candidate.cv_key  # stored under a random name
        cv_path = app.config["CV_STORAGE_DIR"]
        assert "static" not in str(cv_path)
        candidate_id = candidate.id
    download = recruiter_client.get(f"/hiring/candidates/{candidate_id}/cv")
    assert download.status_code == 200
    assert download.data == MINIMAL_PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    download.close()


def test_a_cv_is_checked_by_content_not_extension(app, recruiter_client, hiring_objects):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    response = add_candidate(
        recruiter_client, hiring_objects["requisition_id"], cv=(io.BytesIO(png), "cv.pdf")
    )
    assert response.status_code == 200
    assert "PNG" in response.text
    with app.app_context():
        assert (
            db.session.scalar(select(Candidate).where(Candidate.email == "new@example.org")) is None
        )


def test_duplicate_candidate_is_offered_instead(app, recruiter_client, hiring_objects, users):
    with app.app_context():
        other = hiring.create_requisition(
            title="CSM",
            level_id="csm",
            specialty_id=None,
            hiring_manager=db.session.get(User, users["hiring_manager"]),
            recruiter=db.session.get(User, users["recruiter"]),
            headcount=1,
            actor=db.session.get(User, users["recruiter"]),
        )
        other_id = other.id
    response = add_candidate(recruiter_client, other_id, email="CASEY@example.org")
    assert response.status_code == 200
    assert "already a candidate" in response.text
    added = recruiter_client.post(
        f"/hiring/requisitions/{other_id}/candidates/existing",
        data={"candidate_id": hiring_objects["candidate_id"]},
    )
    assert added.status_code == 302
    with app.app_context():
        assert (
            db.session.scalars(
                select(Application).where(
                    Application.candidate_id == hiring_objects["candidate_id"]
                )
            )
            .all()
            .__len__()
            == 2
        )


def test_board_advance_and_decline_without_javascript(app, recruiter_client, hiring_objects):
    app_id = hiring_objects["application_id"]

    def version():
        with app.app_context():
            return db.session.get(Application, app_id).version

    # Leaving the screen needs its outcome first: the refusal is shown, nothing moves.
    response = recruiter_client.post(
        f"/hiring/applications/{app_id}/advance",
        data={"version": version(), "back": "board"},
        follow_redirects=True,
    )
    assert "Cannot leave Recruiter Screening" in response.text
    recruiter_client.post(
        f"/hiring/applications/{app_id}/screen", data={"version": version(), "outcome": "passed"}
    )
    response = recruiter_client.post(
        f"/hiring/applications/{app_id}/advance",
        data={"version": version(), "back": "board"},
        follow_redirects=True,
    )
    assert "moved to Written Assessment" in response.text
    response = recruiter_client.post(
        f"/hiring/applications/{app_id}/decline",
        data={"version": version(), "reason": "skills", "note": "Needs more depth."},
        follow_redirects=True,
    )
    assert "declined" in response.text
    page = recruiter_client.get(f"/hiring/applications/{app_id}")
    assert "Skills do not match the level&#39;s requirements" in page.text
    assert "Needs more depth." in page.text


def test_a_stale_action_is_refused(app, recruiter_client, hiring_objects):
    app_id = hiring_objects["application_id"]
    with app.app_context():
        stale = db.session.get(Application, app_id).version
    recruiter_client.post(
        f"/hiring/applications/{app_id}/screen", data={"version": stale, "outcome": "passed"}
    )
    response = recruiter_client.post(
        f"/hiring/applications/{app_id}/decline",
        data={"version": stale, "reason": "skills"},
        follow_redirects=True,
    )
    assert "changed by someone else" in response.text
    with app.app_context():
        assert db.session.get(Application, app_id).status == "active"


def test_decline_needs_a_reason(app, recruiter_client, hiring_objects):
    app_id = hiring_objects["application_id"]
    with app.app_context():
        version = db.session.get(Application, app_id).version
    response = recruiter_client.post(
        f"/hiring/applications/{app_id}/decline",
        data={"version": version, "reason": ""},
        follow_redirects=True,
    )
    assert "Choose a reason." in response.text


def test_an_application_at_a_stage_the_plan_no_longer_has(app, recruiter_client, hiring_objects):
    """The ladder's hiring process changed since the application got to its stage: its
    page says so and offers what can still be done (decline, withdraw), not a 500."""
    app_id = hiring_objects["application_id"]
    with app.app_context():
        db.session.execute(
            text("UPDATE applications SET stage_id = 'coffee-chat' WHERE id = :id"), {"id": app_id}
        )
        db.session.commit()
        version = db.session.get(Application, app_id).version
    page = recruiter_client.get(f"/hiring/applications/{app_id}")
    assert page.status_code == 200
    assert "at <strong>coffee-chat</strong>" in page.text
    assert "the stage &#39;coffee-chat&#39;, which the hiring process of" in page.text
    assert "can be declined or withdrawn, not moved on" in page.text
    assert '<button type="button" disabled aria-describedby="advance-why-not">' in page.text
    assert f'action="/hiring/applications/{app_id}/decline"' in page.text
    board = recruiter_client.get(f"/hiring/requisitions/{hiring_objects['requisition_id']}")
    assert board.status_code == 200
    for path in (
        f"/hiring/applications/{app_id}/feedback",
        f"/hiring/applications/{app_id}/interviews/peer-interview",
        "/",
    ):
        assert recruiter_client.get(path).status_code < 500, path
    advanced = recruiter_client.post(
        f"/hiring/applications/{app_id}/advance", data={"version": version}
    )
    assert advanced.status_code < 500
    with app.app_context():
        assert db.session.get(Application, app_id).stage_id == "coffee-chat"
    declined = recruiter_client.post(
        f"/hiring/applications/{app_id}/decline",
        data={"version": version, "reason": "skills"},
        follow_redirects=True,
    )
    assert declined.status_code == 200
    with app.app_context():
        assert db.session.get(Application, app_id).status == "declined"
    assert (
        "<strong>declined</strong> at coffee-chat"
        in recruiter_client.get(f"/hiring/applications/{app_id}").text
    )


def populate(app, users, n, prefix):
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        manager = db.session.get(User, users["hiring_manager"])
        reqs = []
        for i in range(n):
            req = hiring.create_requisition(
                title=f"{prefix} {i}",
                level_id="csm",
                specialty_id=None,
                hiring_manager=manager,
                recruiter=recruiter,
                headcount=1,
                actor=recruiter,
            )
            reqs.append(req)
            for j in range(3):
                cand = hiring.add_candidate(
                    hiring.CandidateDetails(
                        name=f"{prefix} {i}-{j}", email=f"{prefix}{i}x{j}@example.org"
                    ),
                    actor=recruiter,
                )
                hiring.open_application(cand, req, actor=recruiter)
        return reqs[0].id


def test_requisitions_list_query_count_is_constant(app, recruiter_client, users, count_queries):
    populate(app, users, 2, "small")
    with count_queries() as small:
        assert recruiter_client.get("/hiring/requisitions").status_code == 200
    populate(app, users, 12, "large")
    with count_queries() as large:
        response = recruiter_client.get("/hiring/requisitions")
    assert response.status_code == 200
    assert large.count == small.count, large.statements


def test_board_query_count_is_constant(app, recruiter_client, users, count_queries):
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        req = hiring.create_requisition(
            title="Board",
            level_id="csm",
            specialty_id=None,
            hiring_manager=db.session.get(User, users["hiring_manager"]),
            recruiter=recruiter,
            headcount=1,
            actor=recruiter,
        )
        req_id = req.id

    def add(n, prefix):
        with app.app_context():
            recruiter = db.session.get(User, users["recruiter"])
            req = db.session.get(Requisition, req_id)
            for i in range(n):
                cand = hiring.add_candidate(
                    hiring.CandidateDetails(name=f"{prefix}{i}", email=f"{prefix}{i}@example.org"),
                    actor=recruiter,
                )
                hiring.open_application(cand, req, actor=recruiter)

    add(2, "few")
    with count_queries() as small:
        assert recruiter_client.get(f"/hiring/requisitions/{req_id}").status_code == 200
    add(25, "many")
    with count_queries() as large:
        response = recruiter_client.get(f"/hiring/requisitions/{req_id}")
    assert response.status_code == 200
    # The column shows its first cards and its count; the rest is one click away.
    assert response.text.count('class="card-candidate"') == app.config["BOARD_CARDS_PER_COLUMN"]
    assert '<span class="count">27</span>' in response.text
    assert 'rel="next"' in response.text
    assert large.count == small.count, large.statements


def test_hiring_manager_sees_only_own_requisitions(app, client, users, make_user, hiring_objects):
    other = make_user("other.hm@example.org", (Role.HIRING_MANAGER,))
    login_as(app, client, other)
    page = client.get("/hiring/requisitions")
    assert "Senior CSM, EMEA" not in page.text
    assert "No requisitions" in page.text


ROW_TITLE = re.compile(r'<td><a href="/hiring/requisitions/\d+">([^<]+)</a>')


def test_the_list_asks_for_who_is_looking_each_time(app, client, users, make_user):
    """The list's statement is built once per kind of filters and kept: whose requisitions a
    hiring manager sees, and whose are "mine", are its parameters, not part of it."""
    second_manager = make_user("second.hm@example.org", (Role.HIRING_MANAGER,))
    second_recruiter = make_user("second.rec@example.org", (Role.RECRUITER,))
    populate(app, users, 2, "First")
    with app.app_context():
        recruiter = db.session.get(User, second_recruiter)
        hiring.create_requisition(
            title="Second own",
            level_id="csm",
            specialty_id=None,
            hiring_manager=db.session.get(User, second_manager),
            recruiter=recruiter,
            headcount=1,
            actor=recruiter,
        )
        db.session.commit()

    def titles(user_id: int, url: str = "/hiring/requisitions") -> list[str]:
        login_as(app, client, user_id)
        return sorted(ROW_TITLE.findall(client.get(url).text))

    first = ["First 0", "First 1"]
    assert titles(users["hiring_manager"]) == first
    assert titles(second_manager) == ["Second own"]
    assert titles(users["hiring_manager"]) == first
    assert titles(users["recruiter"], "/hiring/requisitions?mine=1") == first
    assert titles(second_recruiter, "/hiring/requisitions?mine=1") == ["Second own"]
    assert titles(second_recruiter) == [*first, "Second own"]


def level_of(app, application_id: int) -> str:
    with app.app_context():
        application = db.session.get(Application, application_id)
        return db.session.get(Requisition, application.requisition_id).level_id


def test_from_references_to_offer_to_hired(app, client, runner):
    runner.invoke(args=["demo", "load"])
    with app.app_context():
        grace = db.session.scalars(
            select(Application).join(Candidate).where(Candidate.email == "grace.kim@example.net")
        ).one()
        app_id = grace.id
        manager_id = accounts.get_user_by_email("manager@example.com").id
        recruiter_id = accounts.get_user_by_email("recruiter@example.com").id

    def version():
        with app.app_context():
            return db.session.get(Application, app_id).version

    login_as(app, client, recruiter_id)
    page = client.get(f"/hiring/applications/{app_id}")
    # The timeline names interviews and who submitted scorecards, not what they said.
    assert "Interview scheduled" in page.text and "Scorecard submitted" in page.text
    assert "Written assessment sent" in page.text and "Written assessment answered" in page.text
    assert "Demo scorecard" not in page.text
    # The offer is not an "advance": it is drafted with its terms, from the hire decision.
    refused = client.post(
        f"/hiring/applications/{app_id}/advance", data={"version": version()}, follow_redirects=True
    )
    assert "offer form" in refused.text
    client.post(
        f"/hiring/applications/{app_id}/references",
        data={"version": version(), "outcome": "passed"},
    )
    assert "drafted from the hiring manager" in client.get(f"/hiring/applications/{app_id}").text
    with app.app_context():
        decisions.record_decision(
            db.session.get(Application, app_id),
            actor=db.session.get(User, manager_id),
            outcome="hire",
            level_id=None,
            rationale=None,
            expected_version=None,
        )
    assert "Draft the offer" in client.get(f"/hiring/applications/{app_id}").text
    start = (utcnow().date() + timedelta(days=14)).isoformat()
    drafted = client.post(
        f"/hiring/applications/{app_id}/offers/new",
        data={"start_date": start, "level_id": level_of(app, app_id), "version": version()},
    )
    assert drafted.status_code == 302, drafted.text
    offer_id = int(drafted.headers["Location"].rsplit("/", 1)[1])

    def offer_version():
        with app.app_context():
            return db.session.get(Offer, offer_id).version

    for name in ("extend", "accept"):
        client.post(
            f"/hiring/offers/{offer_id}/move", data={"move": name, "version": offer_version()}
        )
    hired = client.post(
        f"/hiring/offers/{offer_id}/hire",
        data={"start_date": start, "version": offer_version()},
        follow_redirects=True,
    )
    assert "Grace Kim hired" in hired.text
    with app.app_context():
        assert db.session.get(Application, app_id).status == "hired"


def test_requisitions_list_pages_by_cursor_and_a_deep_page_costs_the_first(
    app, recruiter_client, users, count_queries, monkeypatch
):
    monkeypatch.setitem(app.config, "HIRING_PAGE_SIZE", 3)
    populate(app, users, 8, "Req")
    titles, url, costs = [], "/hiring/requisitions", []
    while url:
        with count_queries() as counted:
            page = recruiter_client.get(url)
        assert page.status_code == 200
        costs.append(counted.count)
        titles += re.findall(r'<td><a href="/hiring/requisitions/\d+">(Req \d)</a>', page.text)
        found = re.search(r'<a href="([^"]+)" rel="next">', page.text)
        url = found[1].replace("&amp;", "&") if found else None
    assert titles == [f"Req {i}" for i in range(7, -1, -1)]  # newest first, each once
    assert len(set(costs)) == 1, costs
    assert 'rel="prev"' in page.text  # the last page leads back
    back = []
    while page is not None:
        back = ROW_TITLE.findall(page.text) + back
        found = re.search(r'<a href="([^"]+)" rel="prev">', page.text)
        page = recruiter_client.get(found[1].replace("&amp;", "&")) if found else None
    assert back == [f"Req {i}" for i in range(7, -1, -1)]  # back to the first page


def test_the_title_filter_takes_percent_and_underscore_as_typed(app, recruiter_client, users):
    populate(app, users, 2, "CSM_100%")
    populate(app, users, 2, "CSMX1002")
    found = recruiter_client.get("/hiring/requisitions", query_string={"q": "CSM_100%"}).text
    assert "CSM_100% 0" in found and "CSM_100% 1" in found
    assert "CSMX1002" not in found
    assert (
        "CSMX1002 0"
        in recruiter_client.get("/hiring/requisitions", query_string={"q": "x100"}).text
    )


def test_requisitions_list_row_shows_people_hires_and_counts_per_stage(
    app, recruiter_client, users
):
    req_id = populate(app, users, 1, "counted")
    with app.app_context():
        requisition = db.session.get(Requisition, req_id)
        stages = hiring.plan_for(requisition).stages
        manager = db.session.get(User, users["hiring_manager"]).display_name
        recruiter = db.session.get(User, users["recruiter"]).display_name
    page = recruiter_client.get("/hiring/requisitions").text
    row = re.search(rf'<tr>\s*<td><a href="/hiring/requisitions/{req_id}">.*?</tr>', page, re.S)
    assert row is not None, page
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row[0], re.S)
    assert cells[1] == 'CSM (Intermediate) <span class="muted">· grade 6</span>'
    assert cells[2:4] == [manager, recruiter]
    assert cells[4].startswith('<span class="tag">open</span> ')
    assert "0 of 1 hired" in cells[4]
    # The three new applications wait in the first stage; every other stage shows 0.
    spans = re.findall(r'<span title="([^"]*)" class="count( has)?">(\d+)</span>', cells[5])
    assert spans == [
        (stage.name, " has" if index == 0 else "", "3" if index == 0 else "0")
        for index, stage in enumerate(stages)
    ]


def test_level_cells_and_status_tags(app):
    from app.hiring.requisition_pages import STATUS_TAGS, level_cells
    from app.ladder_access import get_ladder

    with app.app_context():
        ladder = get_ladder()
    cells = level_cells(ladder)
    assert cells is level_cells(ladder)  # made once per ladder
    assert cells["csm"] == 'CSM (Intermediate) <span class="muted">· grade 6</span>'
    # A level the ladder no longer has shows its id, escaped when the page is written.
    assert cells["gone<b>"] == "gone<b>" and not isinstance(cells["gone<b>"], Markup)
    assert STATUS_TAGS[RequisitionStatus.OPEN] == '<span class="tag">open</span>'
    assert STATUS_TAGS[RequisitionStatus.ON_HOLD] == '<span class="tag muted">on hold</span>'


def test_stage_count_cells_escape_stage_names():
    from app.hiring.requisition_pages import stage_count_cells
    from pipelines.plan import PipelinePlan, PlannedStage, StageKind

    plan = PipelinePlan(
        family_id="f",
        stages=(
            PlannedStage(kind=StageKind.RECRUITER_SCREEN, id="a", name='Q&A "<b>"', position=0),
            PlannedStage(kind=StageKind.REFERENCES, id="b", name="References", position=1),
        ),
    )
    html = str(stage_count_cells(plan, {"a": 2}))
    assert html == (
        '<span title="Q&amp;A &#34;&lt;b&gt;&#34;" class="count has">2</span>'
        '<span title="References" class="count">0</span>'
    )


def test_requisitions_filters_show_what_was_chosen(recruiter_client):
    page = recruiter_client.get("/hiring/requisitions").text
    assert '<select id="status" name="status" aria-label="Status">' in page
    assert '<option value="" selected>Any status</option>' in page
    assert '<option value="" selected>Everyone&#39;s</option>' in page
    chosen = recruiter_client.get("/hiring/requisitions?status=closed&mine=1").text
    assert '<option value="closed" selected>' in chosen
    assert '<option value="1" selected>Mine</option>' in chosen
    assert '<option value="" selected>' not in chosen
