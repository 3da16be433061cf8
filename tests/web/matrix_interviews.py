"""Permissions matrix entries for interviews and scorecards (see test_permissions.py).

The fixture's peer interview has ``users["interviewer"]`` as its only interviewer; staff
of the requisition can see it but write no scorecard on it.
"""

from tests.web.test_permissions import expect

STAFF = {"admin": 200, "recruiter": 200, "hiring_manager": 200}

MATRIX = {
    ("GET", "hiring.my_interviews"): (
        lambda f: "/hiring/my-interviews",
        expect(302, **STAFF, interviewer=200, team_member=200),
    ),
    ("GET", "hiring.schedule"): (
        lambda f: f"/hiring/applications/{f.application_id}/interviews/peer-interview",
        expect(302, **STAFF, default=403),
    ),
    # No interviewer chosen: the form answers 422 with the message.
    ("POST", "hiring.schedule"): (
        lambda f: f"/hiring/applications/{f.application_id}/interviews/peer-interview",
        expect(302, admin=422, recruiter=422, hiring_manager=422, default=403),
    ),
    ("GET", "hiring.scorecard"): (
        lambda f: f"/hiring/interviews/{f.interview_id}/scorecard",
        expect(302, admin=404, recruiter=404, hiring_manager=404, interviewer=200, default=404),
    ),
    ("POST", "hiring.scorecard"): (
        lambda f: f"/hiring/interviews/{f.interview_id}/scorecard",
        expect(302, admin=404, recruiter=404, hiring_manager=404, interviewer=302, default=404),
    ),
    ("POST", "hiring.amend"): (
        lambda f: f"/hiring/interviews/{f.interview_id}/scorecard/amend",
        expect(302, default=404),
    ),
    ("GET", "hiring.feedback"): (
        lambda f: f"/hiring/applications/{f.application_id}/feedback",
        expect(302, **STAFF, interviewer=200, team_member=404),
    ),
    ("GET", "hiring.invitation"): (
        lambda f: f"/hiring/interviews/{f.interview_id}/invite.ics",
        expect(302, **STAFF, interviewer=200, team_member=404),
    ),
}
