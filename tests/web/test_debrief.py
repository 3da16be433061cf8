"""The debrief page and API: the matrix and its flags on a hand-built case, when it opens,
the leveling decision (adjacent levels on the same track only, a rationale off-level, the
ladder diff shown), who may read and who may decide, audit rows, stale versions, bad
input, and a query count that does not grow with the scorecards."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.db import db
from app.hiring import queries
from app.models import Application, AuditEvent, HiringDecision, Requisition, Role, User
from app.services import api_tokens, hiring, interviews
from pipelines.applications import ApplicationStatus
from tests.conftest import login_as, place

API = "/api/v1"
HM_STAGE, PEER, PANEL, EXEC = (
    "hiring-manager-interview",
    "peer-interview",
    "panel-interview",
    "executive-interview",
)
GIT = "req:4fe60d1c"  # inherited: on the hiring manager's and the peer's scorecards
DETAIL = "req:0b41379b"  # inherited
COMMUNICATION = "competency:communication"  # on the peer's and the executive's
ASSERTIVENESS = "competency:assertiveness"


def page(application_id: int) -> str:
    return f"/hiring/applications/{application_id}/debrief"


@pytest.fixture
def people(app, users, make_user) -> dict[str, int]:
    """The fixture's users, an executive (who holds the level the executive interview
    names) and a second panellist."""
    executive = make_user("exec@example.org", (Role.INTERVIEWER,), name="Erin Exec")
    panellist = make_user("panel@example.org", (Role.INTERVIEWER,), name="Pat Panel")
    with app.app_context():
        place(executive, "senior-director-csm", None)
    return {**users, "executive": executive, "panellist": panellist}


def hold(
    application: Application,
    stage_id: str,
    interviewers: list[int],
    marks: dict[int, dict[str, str]] | None = None,
    recommendations: dict[int, str] | None = None,
) -> None:
    """Schedule the stage's interview and submit every interviewer's scorecard: every
    criterion "yes" unless ``marks`` says otherwise."""
    recruiter = db.session.scalar(select(User).where(User.email == "recruiter@example.org"))
    people = [db.session.get(User, uid) for uid in interviewers]
    interview = interviews.schedule_interview(
        application,
        stage_id=stage_id,
        interviewers=people,
        starts_at=datetime(2026, 12, 1, 15, 0, tzinfo=UTC),
        location=None,
        actor=recruiter,
    )
    criteria = interviews.criteria_of(interview, application)
    for person in people:
        ratings = {c.id: "yes" for c in criteria}
        ratings.update((marks or {}).get(person.id, {}))
        interviews.save_scorecard(
            interview,
            application,
            interviewer=person,
            ratings=ratings,
            recommendation=(recommendations or {}).get(person.id, "yes"),
            notes=f"Notes of {person.display_name} at {stage_id}.",
            submit=True,
            expected_version=None,
        )


def at_stage(application: Application, stage_id: str) -> None:
    application.stage_id = stage_id
    db.session.commit()


def build_case(app, people, application_id: int) -> None:
    """The hand-built case: the hiring manager, the peer and the executive interviews held
    (the panel skipped), the application at the executive interview.

    hiring manager: Git strong yes, Detail not assessed, recommends strong yes
    peer:           Git no, Detail not assessed, Communication strong no,
                    Assertiveness not assessed, recommends no
    executive:      everything yes, recommends yes
    """
    hm, peer_id, executive = people["hiring_manager"], people["interviewer"], people["executive"]
    with app.app_context():
        application = db.session.get(Application, application_id)
        hold(
            application,
            HM_STAGE,
            [hm],
            {hm: {GIT: "strong_yes", DETAIL: "not_assessed"}},
            {hm: "strong_yes"},
        )
        hold(
            application,
            PEER,
            [peer_id],
            {
                peer_id: {
                    GIT: "no",
                    DETAIL: "not_assessed",
                    COMMUNICATION: "strong_no",
                    ASSERTIVENESS: "not_assessed",
                }
            },
            {peer_id: "no"},
        )
        hold(application, EXEC, [executive])
        at_stage(application, EXEC)


@pytest.fixture
def ready(app, people, hiring_objects) -> dict[str, int]:
    build_case(app, people, hiring_objects["application_id"])
    return hiring_objects


def bearer(app, user_id: int) -> dict[str, str]:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        _token, raw = api_tokens.issue(user, actor=None, scope="write")
    return {"Authorization": f"Bearer {raw}"}


def cells_of(html: str, criterion_text_start: str) -> list[str]:
    """The cells of the matrix row whose header starts with the text."""
    rows = re.findall(r"<tr[^>]*>\s*<th scope=\"row\">(.*?)</tr>", html, re.S)
    for row in rows:
        if row.strip().startswith(criterion_text_start):
            return re.findall(r"<td class=\"mark-[a-z_]+\">([^<]*)</td>", row)
    raise AssertionError(f"no row {criterion_text_start!r}")


# --- the matrix ---------------------------------------------------------------------------


def test_the_matrix_flags_and_summary_of_a_hand_built_case(app, client, people, ready):
    login_as(app, client, people["hiring_manager"])
    response = client.get(page(ready["application_id"]))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # Columns in the plan's order: hiring manager, peer, executive.
    assert cells_of(html, "Understanding of Git") == ["strong yes", "no", "not asked"]
    assert cells_of(html, "Detailed oriented") == ["not assessed", "not assessed", "not asked"]
    assert cells_of(html, "Communication") == ["not asked", "strong no", "yes"]
    assert cells_of(html, "Assertiveness") == ["not asked", "not assessed", "yes"]
    assert "Interviewers disagree" in html
    assert "Nobody assessed it" in html
    assert "Only one person assessed it" in html
    # 2 yes (1 strong) and 1 no; Git and Communication disagree; Detail nobody; Assertiveness
    # one person.
    assert "2 yes (1 strong), 1 no" in html
    assert re.search(r"Criteria disagreed on</dt><dd>2 of 26<", html)
    assert re.search(r"Nobody assessed</dt><dd>1<", html)
    assert re.search(r"Only one person assessed</dt><dd>1<", html)
    # The notes beside the evidence, and the coverage check (each held stage by one person,
    # each criterion by two of them).
    assert "Notes of Interviewer at peer-interview." in html
    assert "Every criterion is assessed by at least two people" in html


def test_the_api_gives_the_same_matrix(app, client, people, ready):
    response = client.get(
        f"{API}/applications/{ready['application_id']}/debrief",
        headers=bearer(app, people["hiring_manager"]),
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["ready"] is True
    assert [c["stage"]["id"] for c in body["columns"]] == [HM_STAGE, PEER, EXEC]
    rows = {r["criterion"]["id"]: r for r in body["rows"]}
    assert len(rows) == 26
    assert rows[GIT]["cells"] == ["strong_yes", "no", "not_asked"]
    assert rows[GIT]["flags"] == ["disagreement"]
    assert rows[GIT]["spread"] == 2
    assert rows[DETAIL]["flags"] == ["unassessed"]
    assert rows[ASSERTIVENESS]["flags"] == ["single_assessor"]
    assert rows[COMMUNICATION]["flags"] == ["disagreement"]
    flagged = {cid for cid, r in rows.items() if r["flags"]}
    assert flagged == {GIT, DETAIL, ASSERTIVENESS, COMMUNICATION}
    assert body["summary"] == {
        "scorecards": 3,
        "interviewers": 3,
        "yes": 2,
        "no": 1,
        "strong_yes": 1,
        "strong_no": 0,
        "disagreed": 2,
        "unassessed": 1,
        "single_assessor": 1,
    }
    assert body["coverage"]["complete"] is True
    assert [(o["level"]["id"], o["step"]) for o in body["level_options"]] == [
        ("csm", "below"),
        ("senior-csm", "same"),
        ("staff-csm", "above"),
    ]
    above = body["level_options"][2]["diff"]
    assert above["from"]["id"] == "senior-csm" and above["to"]["id"] == "staff-csm"
    assert above["requirements"]["added"]
    assert body["level_options"][1]["diff"] is None
    assert body["decision"] is None


def test_coverage_counts_only_the_interviews_held(app, client, people, hiring_objects):
    """Without the peer interview, the inherited requirements (the hiring manager's and the
    peer's) and the competencies (the peer's and the executive's) have one person each."""
    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        hm, executive = people["hiring_manager"], people["executive"]
        # The fixture's peer interview is called off; the stage is skipped.
        peer_interview = next(
            i for i in queries.application_interviews(application.id) if i.stage_id == PEER
        )
        interviews.cancel_interview(
            peer_interview,
            application,
            actor=db.session.get(User, people["recruiter"]),
            expected_version=None,
        )
        hold(application, HM_STAGE, [hm])
        hold(application, EXEC, [executive])
        at_stage(application, EXEC)
    response = client.get(
        f"{API}/applications/{hiring_objects['application_id']}/debrief",
        headers=bearer(app, people["hiring_manager"]),
    )
    body = response.get_json()
    assert body["ready"] is True
    coverage = body["coverage"]
    assert coverage["uncovered"] == []
    # 14 inherited requirements + 7 competencies.
    assert len(coverage["single_interviewer"]) == 21
    singles = [r for r in body["rows"] if "single_assessor" in r["flags"]]
    assert len(singles) == 21


# --- readiness ----------------------------------------------------------------------------


def test_not_open_before_the_interviews_are_complete(app, client, people, hiring_objects):
    login_as(app, client, people["hiring_manager"])
    html = client.get(page(hiring_objects["application_id"])).get_data(as_text=True)
    assert "The debrief is not open yet" in html
    assert "The application is at Recruiter Screening" in html
    assert "Notes of" not in html
    assert 'name="outcome"' not in html
    # Nothing read, nothing audited.
    with app.app_context():
        assert _reads(hiring_objects["application_id"]) == 0
    response = client.post(
        page(hiring_objects["application_id"]), data={"outcome": "hire", "level_id": "senior-csm"}
    )
    assert response.status_code == 409
    assert "The debrief is not open yet" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(HiringDecision.id)) is None


def test_waiting_for_a_scorecard_names_the_stage(app, client, people, hiring_objects):
    hm, executive = people["hiring_manager"], people["executive"]
    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        hold(application, HM_STAGE, [hm])
        # The peer interview (scheduled by the fixture) has no scorecard yet.
        hold(application, EXEC, [executive])
        at_stage(application, EXEC)
    login_as(app, client, hm)
    html = client.get(page(hiring_objects["application_id"])).get_data(as_text=True)
    assert "Waiting for 1 scorecard: Peer Interview (0 of 1 submitted)." in html
    # The application's page has no debrief link yet.
    html = client.get(f"/hiring/applications/{hiring_objects['application_id']}").get_data(
        as_text=True
    )
    assert "The debrief opens once the interview stages are complete." in html
    assert page(hiring_objects["application_id"]) not in html


# --- the decision -------------------------------------------------------------------------


def _decide(client, application_id: int, **data: str):
    return client.post(page(application_id), data=data)


def test_the_requisition_level_needs_no_rationale(app, client, people, ready):
    login_as(app, client, people["hiring_manager"])
    response = _decide(client, ready["application_id"], outcome="hire", level_id="senior-csm")
    assert response.status_code == 302
    with app.app_context():
        decision = db.session.scalar(select(HiringDecision))
        assert (decision.outcome.value, decision.level_id, decision.step.value) == (
            "hire",
            "senior-csm",
            "same",
        )
        assert decision.decided_by_id == people["hiring_manager"]
        assert decision.rationale is None
        # Audited, without the rationale.
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "application.decision")
        )
        assert event is not None and event.actor_id == people["hiring_manager"]


def test_another_level_needs_a_rationale_and_shows_the_diff(app, client, people, ready):
    login_as(app, client, people["hiring_manager"])
    response = _decide(client, ready["application_id"], outcome="hire", level_id="staff-csm")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "needs a written rationale" in html
    # The diff of the chosen level is open beside the form: what Staff adds to Senior.
    match = re.search(r'<details class="level-diff" open>(.*?)</details>', html, re.S)
    assert match is not None
    diff = match.group(1)
    assert "Ladder diff: Staff CSM against Senior CSM" in diff
    assert "asked at Staff CSM, not at Senior CSM" in diff
    # An item the staff level adds to its responsibilities.
    assert "Owns the customer relationship within a global account" in diff
    with app.app_context():
        assert db.session.scalar(select(HiringDecision.id)) is None
    response = _decide(
        client,
        ready["application_id"],
        outcome="hire",
        level_id="staff-csm",
        rationale="Ran the renewals of a region for two years.",
    )
    assert response.status_code == 302
    with app.app_context():
        decision = db.session.scalar(select(HiringDecision))
        assert (decision.level_id, decision.step.value) == ("staff-csm", "above")
        assert decision.rationale == "Ran the renewals of a region for two years."


def test_the_level_query_shows_its_diff_without_javascript(app, client, people, ready):
    login_as(app, client, people["hiring_manager"])
    html = client.get(page(ready["application_id"]) + "?level=csm").get_data(as_text=True)
    opened = re.findall(r'<details class="level-diff"( open)?>', html)
    # Two other levels (csm below, staff-csm above); the one asked for is open and chosen.
    assert opened == [" open", ""]
    assert re.search(r'value="csm" checked', html)
    # A level not offered is ignored (the requisition's level stays chosen).
    html = client.get(page(ready["application_id"]) + "?level=manager-csm").get_data(as_text=True)
    assert re.search(r'value="senior-csm" checked', html)


@pytest.mark.parametrize(
    ("level_id", "message"),
    [
        ("associate-csm", "one level beside it on the same track"),
        ("manager-csm", "one level beside it on the same track"),
        ("no-such-level", "one level beside it on the same track"),
    ],
)
def test_only_adjacent_levels_on_the_same_track(app, client, people, ready, level_id, message):
    login_as(app, client, people["hiring_manager"])
    response = _decide(
        client, ready["application_id"], outcome="hire", level_id=level_id, rationale="Because."
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(HiringDecision.id)) is None


def test_no_hire_declines_the_application(app, client, people, ready):
    login_as(app, client, people["hiring_manager"])
    # The level radio is still checked in the form: a no-hire ignores it.
    response = _decide(
        client,
        ready["application_id"],
        outcome="no_hire",
        level_id="senior-csm",
        rationale="Split panel.",
    )
    assert response.status_code == 302
    with app.app_context():
        application = db.session.get(Application, ready["application_id"])
        assert application.status is ApplicationStatus.DECLINED
        assert application.decline_reason.value == "interviews"
    html = client.get(page(ready["application_id"])).get_data(as_text=True)
    assert "No hire" in html
    assert 'name="outcome"' not in html  # declined: the decision no longer changes


def test_a_stale_version_is_a_conflict(app, client, people, ready):
    login_as(app, client, people["hiring_manager"])
    assert _decide(client, ready["application_id"], outcome="hire").status_code == 302
    with app.app_context():
        version = db.session.scalar(select(HiringDecision.version))
    # A second page, loaded before the first decision (no version), is refused.
    response = _decide(
        client, ready["application_id"], outcome="hire", level_id="csm", rationale="Less."
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "recorded meanwhile" in html
    # The form now carries the current version: sending again replaces knowingly.
    assert f'value="{version}"' in html
    response = _decide(
        client,
        ready["application_id"],
        outcome="hire",
        level_id="csm",
        rationale="Less.",
        version=str(version + 5),
    )
    assert response.status_code == 409
    response = _decide(
        client,
        ready["application_id"],
        outcome="hire",
        level_id="csm",
        rationale="Less.",
        version=str(version),
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(HiringDecision.level_id)) == "csm"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"outcome": "maybe"},
        {"outcome": "hire", "version": "abc"},
        {"outcome": "hire", "version": "99999999999999"},
        {"outcome": "hire", "level_id": "x" * 5000},
        {"outcome": "hire", "level_id": "staff-csm", "rationale": "x" * 20_001},
        {"outcome": "hire", "level_id": "csm"},
        {"outcome": "hire\x00"},
    ],
)
def test_bad_input_is_a_4xx(app, client, people, ready, data):
    login_as(app, client, people["hiring_manager"])
    response = client.post(page(ready["application_id"]), data=data)
    assert 400 <= response.status_code < 500
    with app.app_context():
        assert db.session.scalar(select(HiringDecision.id)) is None


# --- who ----------------------------------------------------------------------------------


def test_the_recruiter_reads_without_the_form_and_may_not_post(app, client, people, ready):
    login_as(app, client, people["hiring_manager"])
    _decide(client, ready["application_id"], outcome="hire", level_id="staff-csm", rationale="Why.")
    login_as(app, client, people["recruiter"])
    response = client.get(page(ready["application_id"]))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Notes of Interviewer" in html
    assert "one level above" in html and "Why." in html
    assert 'name="outcome"' not in html
    assert client.post(page(ready["application_id"]), data={"outcome": "hire"}).status_code == 403
    # The decision on the application's page, with a link to read the debrief.
    html = client.get(f"/hiring/applications/{ready['application_id']}").get_data(as_text=True)
    assert "Decided by" in html and "Why." in html
    assert "Read the debrief" in html


def test_another_recruiter_and_interviewers_get_404(app, client, people, ready, make_user):
    other = make_user("other.recruiter@example.org", (Role.RECRUITER,))
    for user_id in (other, people["interviewer"], people["executive"], people["team_member"]):
        login_as(app, client, user_id)
        assert client.get(page(ready["application_id"])).status_code == 404
        assert client.post(page(ready["application_id"]), data={}).status_code == 404
        headers = bearer(app, user_id)
        url = f"{API}/applications/{ready['application_id']}"
        assert client.get(f"{url}/debrief", headers=headers).status_code == 404
        response = client.put(f"{url}/decision", headers=headers, json={"outcome": "hire"})
        assert response.status_code == 404
    # Another recruiter sees the application's page, but not the decision on it.
    login_as(app, client, other)
    html = client.get(f"/hiring/applications/{ready['application_id']}").get_data(as_text=True)
    assert "decision-box" not in html


def test_an_admin_may_decide(app, client, people, ready):
    login_as(app, client, people["admin"])
    response = _decide(client, ready["application_id"], outcome="hire")
    assert response.status_code == 302
    html = client.get(f"/hiring/applications/{ready['application_id']}").get_data(as_text=True)
    assert ">Debrief</a>" in html


def _reads(application_id: int) -> int:
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "candidate.feedback_view")
    ).all()
    return sum(1 for r in rows if (r.summary or {}).get("page") == "debrief")


def test_reads_are_audited(app, client, people, ready):
    login_as(app, client, people["recruiter"])
    client.get(page(ready["application_id"]))
    client.get(
        f"{API}/applications/{ready['application_id']}/debrief",
        headers=bearer(app, people["recruiter"]),
    )
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "candidate.feedback_view")
        ).all()
        debrief_rows = [r for r in rows if (r.summary or {}).get("page") == "debrief"]
        assert [(r.channel, r.actor_id) for r in debrief_rows] == [
            ("web", people["recruiter"]),
            ("api", people["recruiter"]),
        ]
        assert debrief_rows[0].summary["scorecards"] == 3


# --- the API decision ---------------------------------------------------------------------


def test_the_api_decision_rules_and_versions(app, client, people, ready):
    url = f"{API}/applications/{ready['application_id']}/decision"
    headers = bearer(app, people["hiring_manager"])
    response = client.put(url, headers=headers, json={"outcome": "hire", "level_id": "csm"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert list(error["fields"]) == ["rationale"]
    assert error["pointer"] == "/rationale"
    response = client.put(url, headers=headers, json={"outcome": "no_hire", "level_id": "csm"})
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["level_id"]
    response = client.put(url, headers=headers, json={"outcome": "perhaps"})
    assert response.status_code == 422
    response = client.put(
        url, headers=headers, json={"outcome": "hire", "level_id": "csm", "rationale": "Junior."}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["outcome"], body["level_id"], body["step"]) == ("hire", "csm", "below")
    version = body["version"]
    # Revising needs the version: none, or another one, is stale.
    for sent in ({}, {"version": version + 1}):
        response = client.put(url, headers=headers, json={"outcome": "hire", **sent})
        assert response.status_code == 409
        error = response.get_json()["error"]
        assert (error["conflict"], error["current_version"]) == ("stale", version)
    response = client.put(url, headers=headers, json={"outcome": "hire", "version": version})
    assert response.status_code == 200
    assert response.get_json()["level_id"] == "senior-csm"
    # The recruiter reads it, and may not change it.
    recruiter = bearer(app, people["recruiter"])
    response = client.get(
        f"{API}/applications/{ready['application_id']}/debrief", headers=recruiter
    )
    assert response.get_json()["decision"]["level_id"] == "senior-csm"
    response = client.put(url, headers=recruiter, json={"outcome": "no_hire"})
    assert response.status_code == 403


def test_the_api_refuses_before_the_debrief_opens(app, client, people, hiring_objects):
    url = f"{API}/applications/{hiring_objects['application_id']}/decision"
    response = client.put(
        url, headers=bearer(app, people["hiring_manager"]), json={"outcome": "hire"}
    )
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["conflict"] == "rule"
    assert "not open yet" in error["detail"]


# --- queries ------------------------------------------------------------------------------


def test_the_page_query_count_does_not_grow_with_the_scorecards(
    app, client, people, ready, count_queries, make_user
):
    """The hand-built case (3 scorecards), against a second application of the same
    requisition with the panel held too (6 scorecards)."""
    with app.app_context():
        recruiter = db.session.get(User, people["recruiter"])
        requisition = db.session.get(Requisition, ready["requisition_id"])
        candidate = hiring.add_candidate(
            hiring.CandidateDetails(name="Robin Second", email="robin@example.org"),
            actor=recruiter,
        )
        second = hiring.open_application(candidate, requisition, actor=recruiter)
        second_id = second.id
        hm, peer, executive = (
            people["hiring_manager"],
            people["interviewer"],
            people["executive"],
        )
        hold(second, HM_STAGE, [hm])
        hold(second, PEER, [peer])
        hold(second, PANEL, [hm, peer, people["panellist"]])
        hold(second, EXEC, [executive])
        at_stage(second, EXEC)
    login_as(app, client, people["hiring_manager"])
    client.get(page(ready["application_id"]))  # warm up (the ladder, the plan)
    with count_queries() as small:
        assert client.get(page(ready["application_id"])).status_code == 200
    with count_queries() as large:
        response = client.get(page(second_id))
        assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="debrief-notes"') == 6
    assert large.count == small.count
