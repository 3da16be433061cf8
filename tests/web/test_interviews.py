from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.db import db
from app.models import Application, Interview, Role, Scorecard, ScorecardAmendment, User
from app.services import hiring, interviews
from app.services.errors import ServiceError
from tests.conftest import login_as


def interview_of(app, ids):
    with app.app_context():
        interview = db.session.get(Interview, ids["interview_id"])
        application = db.session.get(Application, ids["application_id"])
        return interview, application


def criteria_ids(app, ids):
    with app.app_context():
        interview, application = (
            db.session.get(Interview, ids["interview_id"]),
            db.session.get(Application, ids["application_id"]),
        )
        return [c.id for c in interviews.criteria_of(interview, application)]


def full_scorecard(app, ids, rating="yes", recommendation="yes", notes="Clear examples."):
    data = {f"rating-{cid}": rating for cid in criteria_ids(app, ids)}
    data.update(recommendation=recommendation, notes=notes, action="submit")
    return data


def test_scorecard_form_lists_the_criteria_of_the_stage(app, client, users, hiring_objects):
    login_as(app, client, users["interviewer"])
    page = client.get(f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard")
    assert page.status_code == 200
    # Peer interviews assess inherited requirements and the family's competencies.
    assert "Understanding of Git and typical branching strategies" in page.text
    assert "competency" in page.text
    assert 'name="recommendation" value="strong_yes"' in page.text


def test_incomplete_scorecard_lists_every_problem_and_saves_nothing(
    app, client, users, hiring_objects
):
    login_as(app, client, users["interviewer"])
    url = f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard"
    response = client.post(url, data={"action": "submit", "notes": " "})
    assert response.status_code == 422
    assert "Write notes that explain the recommendation." in response.text
    assert "Choose an overall recommendation" in response.text
    with app.app_context():
        assert (
            db.session.scalar(select(Scorecard).where(Scorecard.submitted_at.is_not(None))) is None
        )


def test_submitted_scorecard_is_final_and_amendments_are_recorded(
    app, client, users, hiring_objects
):
    login_as(app, client, users["interviewer"])
    url = f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard"
    assert client.post(url, data=full_scorecard(app, hiring_objects)).status_code == 302
    again = client.post(
        url, data=full_scorecard(app, hiring_objects, recommendation="no"), follow_redirects=True
    )
    assert "cannot change; add an amendment" in again.text
    client.post(f"{url}/amend", data={"text": "Also asked about CI pipelines."})
    with app.app_context():
        card = db.session.scalars(select(Scorecard)).one()
        assert card.recommendation == "yes"
        amendment = db.session.scalars(select(ScorecardAmendment)).one()
        assert amendment.text == "Also asked about CI pipelines."


def test_feedback_is_blind_until_the_viewer_submits(app, client, users, make_user, hiring_objects):
    second = make_user("second.interviewer@example.org", (Role.INTERVIEWER,))
    with app.app_context():
        interview = db.session.get(Interview, hiring_objects["interview_id"])
        application = db.session.get(Application, hiring_objects["application_id"])
        interviews.schedule_interview(
            application,
            stage_id="peer-interview",
            interviewers=[db.session.get(User, users["interviewer"]), db.session.get(User, second)],
            starts_at=interview.starts_at,
            location=None,
            actor=db.session.get(User, users["recruiter"]),
        )
    login_as(app, client, users["interviewer"])
    url = f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard"
    client.post(url, data=full_scorecard(app, hiring_objects, notes="First interviewer notes."))

    other = app.test_client()
    login_as(app, other, second)
    feedback = f"/hiring/applications/{hiring_objects['application_id']}/feedback"
    blind = other.get(feedback)
    assert blind.status_code == 200
    assert "First interviewer notes." not in blind.text
    assert "stays hidden until you submit" in blind.text
    other.post(
        url,
        data=full_scorecard(
            app, hiring_objects, rating="no", recommendation="no", notes="Second interviewer notes."
        ),
    )
    seen = other.get(feedback)
    assert "First interviewer notes." in seen.text and "Second interviewer notes." in seen.text
    assert "split" in seen.text  # the two disagree on every criterion

    manager = app.test_client()
    login_as(app, manager, users["hiring_manager"])
    assert "Second interviewer notes." in manager.get(feedback).text


def test_an_interviewer_probing_other_applications_gets_404(
    app, client, users, make_user, hiring_objects
):
    login_as(app, client, users["interviewer"])
    cv = client.get(f"/hiring/candidates/{hiring_objects['candidate_id']}/cv")
    assert cv.status_code == 200
    cv.close()
    # Another application of another candidate, not assigned to this interviewer.
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        from app.models import Requisition

        req = db.session.get(Requisition, hiring_objects["requisition_id"])
        other = hiring.add_candidate(
            hiring.CandidateDetails(name="Other Person", email="other.person@example.org"),
            actor=recruiter,
        )
        other_app = hiring.open_application(other, req, actor=recruiter)
        other_interview = interviews.schedule_interview(
            other_app,
            stage_id="peer-interview",
            interviewers=[db.session.get(User, users["hiring_manager"])],
            starts_at=None,
            location=None,
            actor=recruiter,
        )
        ids = (other.id, other_app.id, other_interview.id)
    assert client.get(f"/hiring/interviews/{ids[2]}/scorecard").status_code == 404
    assert client.get(f"/hiring/interviews/{ids[2]}/invite.ics").status_code == 404
    assert client.get(f"/hiring/applications/{ids[1]}/feedback").status_code == 404
    assert client.get(f"/hiring/candidates/{ids[0]}/cv").status_code == 404
    assert client.get(f"/hiring/applications/{ids[1]}").status_code == 403  # staff page


def test_invitation_is_an_ics_with_the_interviewers(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    response = client.get(f"/hiring/interviews/{hiring_objects['interview_id']}/invite.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    text = response.data.decode()
    assert "DTSTART:20261201T150000Z" in text
    assert "DTEND:20261201T153000Z" in text  # the peer interview lasts 30 minutes
    assert "mailto:interviewer@example.org" in text.replace("\r\n ", "")


def test_executive_interview_needs_the_level_the_data_names(app, users, hiring_objects):
    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        recruiter = db.session.get(User, users["recruiter"])
        member = db.session.get(User, users["team_member"])
        with pytest.raises(ServiceError, match="Senior Director of Customer Success Management"):
            interviews.schedule_interview(
                application,
                stage_id="executive-interview",
                interviewers=[member],
                starts_at=None,
                location=None,
                actor=recruiter,
            )
        member.level_id = "senior-director-csm"
        db.session.commit()
        interview = interviews.schedule_interview(
            application,
            stage_id="executive-interview",
            interviewers=[db.session.get(User, users["team_member"])],
            starts_at=None,
            location=None,
            actor=recruiter,
        )
        from app.models import InterviewInterviewer

        seats = db.session.scalars(
            select(InterviewInterviewer.user_id).where(
                InterviewInterviewer.interview_id == interview.id
            )
        ).all()
        assert seats == [users["team_member"]]


def test_leaving_an_interview_stage_needs_positive_submitted_scorecards(
    app, client, users, hiring_objects
):
    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        recruiter = db.session.get(User, users["recruiter"])
        manager = db.session.get(User, users["hiring_manager"])
        hiring.record_screen_outcome(
            application, passed=True, actor=recruiter, expected_version=None
        )
        hiring.advance_application(application, actor=recruiter, expected_version=None)
        # The assessment stage is passed on the hiring manager's override here.
        hiring.advance_application(
            application,
            actor=manager,
            expected_version=None,
            override_reason="Assessment done on paper.",
        )
        hm_interview = interviews.schedule_interview(
            application,
            stage_id="hiring-manager-interview",
            interviewers=[manager],
            starts_at=datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
            location=None,
            actor=recruiter,
        )
        with pytest.raises(Exception, match="not submitted"):
            hiring.advance_application(application, actor=recruiter, expected_version=None)
        criteria = interviews.criteria_of(hm_interview, application)
        interviews.save_scorecard(
            hm_interview,
            application,
            interviewer=manager,
            ratings={c.id: "strong_yes" for c in criteria},
            recommendation="strong_yes",
            notes="Excellent.",
            submit=True,
            expected_version=None,
        )
        hiring.advance_application(application, actor=recruiter, expected_version=None)
        assert application.stage_id == "peer-interview"


def test_my_interviews_query_count_is_constant(app, client, users, hiring_objects, count_queries):
    login_as(app, client, users["interviewer"])
    with count_queries() as small:
        assert client.get("/hiring/my-interviews").status_code == 200
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        from app.models import Requisition

        req = db.session.get(Requisition, hiring_objects["requisition_id"])
        for i in range(8):
            cand = hiring.add_candidate(
                hiring.CandidateDetails(name=f"C{i}", email=f"c{i}@example.org"), actor=recruiter
            )
            application = hiring.open_application(cand, req, actor=recruiter)
            interviews.schedule_interview(
                application,
                stage_id="peer-interview",
                interviewers=[db.session.get(User, users["interviewer"])],
                starts_at=datetime(2026, 12, 3, 10, i, tzinfo=UTC),
                location=None,
                actor=recruiter,
            )
    with count_queries() as large:
        response = client.get("/hiring/my-interviews")
    assert response.text.count("Fill in") == 9
    assert large.count == small.count, large.statements


@pytest.mark.parametrize(
    ("start", "now", "overdue"),
    [
        # Thursday 10:00, 30 minutes: due Friday 10:30.
        (
            datetime(2026, 12, 3, 10, 0, tzinfo=UTC),
            datetime(2026, 12, 4, 10, 29, tzinfo=UTC),
            False,
        ),
        (datetime(2026, 12, 3, 10, 0, tzinfo=UTC), datetime(2026, 12, 4, 10, 31, tzinfo=UTC), True),
        # Friday 10:00: the weekend does not count, due Monday 10:30.
        (datetime(2026, 12, 4, 10, 0, tzinfo=UTC), datetime(2026, 12, 6, 23, 0, tzinfo=UTC), False),
        (datetime(2026, 12, 4, 10, 0, tzinfo=UTC), datetime(2026, 12, 7, 10, 31, tzinfo=UTC), True),
    ],
)
def test_overdue_is_one_working_day_after_the_interview(start, now, overdue):
    interview = Interview(starts_at=start, duration_minutes=30)
    assert interviews.is_overdue(interview, now) is overdue


def test_a_team_member_holding_the_executive_level_writes_the_scorecard(
    app, client, users, hiring_objects
):
    with app.app_context():
        member = db.session.get(User, users["team_member"])
        member.level_id = "senior-director-csm"
        db.session.commit()
        application = db.session.get(Application, hiring_objects["application_id"])
        interview = interviews.schedule_interview(
            application,
            stage_id="executive-interview",
            interviewers=[member],
            starts_at=None,
            location=None,
            actor=db.session.get(User, users["recruiter"]),
        )
        interview_id = interview.id
    login_as(app, client, users["team_member"])
    home = client.get("/").text
    assert "Upcoming interviews" in home and "Executive Interview" in home
    assert "Executive Interview" in client.get("/hiring/my-interviews").text
    page = client.get(f"/hiring/interviews/{interview_id}/scorecard")
    assert page.status_code == 200


def test_a_submitted_interviewer_cannot_be_removed(app, client, users, hiring_objects):
    login_as(app, client, users["interviewer"])
    client.post(
        f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard",
        data=full_scorecard(app, hiring_objects),
    )
    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        sequence = db.session.get(Interview, hiring_objects["interview_id"]).ics_sequence
        with pytest.raises(ServiceError, match="cannot be removed"):
            interviews.schedule_interview(
                application,
                stage_id="peer-interview",
                interviewers=[db.session.get(User, users["hiring_manager"])],
                starts_at=None,
                location=None,
                actor=db.session.get(User, users["recruiter"]),
            )
        db.session.rollback()
        assert db.session.get(Interview, hiring_objects["interview_id"]).ics_sequence == sequence
