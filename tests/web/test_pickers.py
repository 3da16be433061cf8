"""Pickers that fit: the interviewer picker offers anyone eligible for the stage (suggested
people first, each with their level), and a requisition's specialty follows its level."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.db import db
from app.ladder_access import get_ladder
from app.models import (
    Application,
    Interview,
    InterviewInterviewer,
    Requisition,
    Role,
    Scorecard,
    User,
)
from app.services import interviews
from ladder.resolve import specialty_levels
from tests.conftest import login_as, place


def schedule_url(ids, stage="peer-interview"):
    return f"/hiring/applications/{ids['application_id']}/interviews/{stage}"


def offered(page_text: str) -> list[str]:
    """The labels of the interviewer checkboxes, in page order."""
    items = re.findall(
        r'<input[^>]*name="interviewers"[^>]*>\s*(.*?)</label>', page_text, flags=re.S
    )
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


@pytest.fixture
def people(app, users, make_user, hiring_objects):
    """A team member at the requisition's level (senior-csm), another at a lower level,
    the interviewer at staff-csm, a deactivated and a departed interviewer."""
    ids = {
        "peer": make_user("tara@example.org", (Role.TEAM_MEMBER,), name="Tara Peer"),
        "junior": make_user("abe@example.org", (Role.TEAM_MEMBER,), name="Abe Junior"),
        "off": make_user("otto@example.org", (Role.INTERVIEWER,), name="Otto Off"),
        "gone": make_user("gus@example.org", (Role.INTERVIEWER,), name="Gus Gone"),
    }
    with app.app_context():
        place(ids["peer"], "senior-csm", None)
        place(ids["junior"], "csm", None)
        place(users["interviewer"], "staff-csm", None)
        off = db.session.get(User, ids["off"])
        off.active = False
        gone = db.session.get(User, ids["gone"])
        gone.left_on = date.today() - timedelta(days=3)
        db.session.commit()
    return ids


def interview_version(app, interview_id):
    with app.app_context():
        return db.session.get(Interview, interview_id).version


def test_peer_picker_offers_team_members_suggested_first_with_their_level(
    app, client, users, hiring_objects, people
):
    login_as(app, client, users["hiring_manager"])
    page = client.get(schedule_url(hiring_objects))
    assert page.status_code == 200
    labels = offered(page.text)
    # Suggested: the interviewer and the peer at the requisition's level, then the others.
    assert labels[0] == "Interviewer — Staff CSM suggested"
    assert labels[1] == "Tara Peer — Senior CSM suggested"
    rest = labels[2:]
    assert any(label.startswith("Abe Junior — Customer Success Manager (CSM)") for label in rest)
    assert "Team_Member" in " ".join(rest)  # the team member without a level is offered too
    assert "Recruiter" in " ".join(rest) and "Hiring_Manager" in " ".join(rest)
    assert not any("suggested" in label for label in rest)
    assert "Otto Off" not in page.text and "Gus Gone" not in page.text
    # The filter box comes with picker.js, loaded from the page's own files.
    assert 'data-picker-filter="interviewers-list"' in page.text
    assert "/static/picker.js" in page.text


def test_team_member_scheduled_for_peer_interview_sees_and_submits_the_scorecard(
    app, client, users, hiring_objects, people
):
    login_as(app, client, users["hiring_manager"])
    response = client.post(
        schedule_url(hiring_objects),
        data={
            "interviewers": [str(people["peer"])],
            "starts_at": "2026-12-01T15:00",
            "location": "Video call",
            "version": str(interview_version(app, hiring_objects["interview_id"])),
        },
    )
    assert response.status_code == 302, response.text
    member = app.test_client()
    login_as(app, member, people["peer"])
    url = f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard"
    assert url in member.get("/hiring/my-interviews").text
    assert url in member.get("/").text
    form = member.get(url)
    assert form.status_code == 200
    with app.app_context():
        interview = db.session.get(Interview, hiring_objects["interview_id"])
        application = db.session.get(Application, hiring_objects["application_id"])
        criteria = interviews.criteria_of(interview, application)
        data = {f"rating-{c.id}": "yes" for c in criteria}
    data.update(recommendation="yes", notes="Solid account planning.", action="submit")
    assert member.post(url, data=data).status_code == 302
    with app.app_context():
        card = db.session.query(Scorecard).one()
        assert card.interviewer_id == people["peer"] and card.submitted_at is not None


def test_hiring_manager_stage_still_offers_only_the_hiring_manager(
    app, client, users, hiring_objects, people
):
    login_as(app, client, users["recruiter"])
    page = client.get(schedule_url(hiring_objects, "hiring-manager-interview"))
    assert page.status_code == 200
    labels = offered(page.text)
    assert len(labels) == 1 and labels[0].startswith("Hiring_Manager")
    refused = client.post(
        schedule_url(hiring_objects, "hiring-manager-interview"),
        data={"interviewers": [str(people["peer"])]},
    )
    assert refused.status_code == 422
    assert "Tara Peer is not the hiring manager" in refused.text
    assert "Hiring Manager Interview" in refused.text


@pytest.mark.parametrize(
    ("who", "words"),
    [
        (
            "off",
            "Otto Off&#39;s account is deactivated, so Otto Off cannot interview for the "
            "Peer Interview",
        ),
        ("gone", "Gus Gone left on"),
    ],
)
def test_someone_not_eligible_is_refused_by_name(
    app, client, users, hiring_objects, people, who, words
):
    login_as(app, client, users["hiring_manager"])
    response = client.post(
        schedule_url(hiring_objects),
        data={
            "interviewers": [str(people[who])],
            "version": str(interview_version(app, hiring_objects["interview_id"])),
        },
    )
    assert response.status_code == 422
    assert words in response.text
    assert "Not a valid choice" not in response.text
    with app.app_context():
        chosen = db.session.scalars(
            select(InterviewInterviewer.user_id).where(
                InterviewInterviewer.interview_id == hiring_objects["interview_id"]
            )
        )
        assert list(chosen) == [users["interviewer"]]


def test_specialty_options_carry_the_levels_they_apply_to(app, client, users):
    login_as(app, client, users["recruiter"])
    page = client.get("/hiring/requisitions/new")
    assert page.status_code == 200
    with app.app_context():
        levels = specialty_levels(get_ladder())
    found = {}
    for tag in re.findall(r"<option [^>]*>", page.text):
        levels_attr = re.search(r'data-levels="([^"]*)"', tag)
        if levels_attr:
            found[re.search(r'value="([^"]*)"', tag).group(1)] = levels_attr.group(1)
    assert found == {sid: " ".join(ids) for sid, ids in levels.items()}
    assert "csa" not in found["strategic"].split()
    assert 'data-follows="level_id"' in page.text


def test_server_refuses_a_specialty_of_another_level_naming_both(app, client, users):
    login_as(app, client, users["recruiter"])
    response = client.post(
        "/hiring/requisitions/new",
        data={
            "level_id": "csa",
            "specialty_id": "strategic",
            "title": "Architect",
            "hiring_manager_id": str(users["hiring_manager"]),
            "recruiter_id": str(users["recruiter"]),
            "headcount": "1",
        },
    )
    # The form page is shown again with the message (as for its other refusals).
    assert response.status_code == 200
    assert (
        "The Strategic specialty does not apply to Customer Success Architect (CSA) "
        "(Intermediate)" in response.text
    )
    assert "&#39;strategic&#39;" not in response.text
    with app.app_context():
        assert db.session.query(Requisition).count() == 0


def test_executive_stage_with_nobody_at_its_level_names_the_level(
    app, client, users, hiring_objects
):
    login_as(app, client, users["recruiter"])
    page = client.get(schedule_url(hiring_objects, "executive-interview"))
    assert page.status_code == 200
    assert offered(page.text) == []
    assert "Nobody here holds the level Senior Director of Customer Success Management" in page.text
    assert "senior-director-csm&#39;" not in page.text
