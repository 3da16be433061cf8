"""Permissions matrix entries for cancelling interviews and a candidate's time zone (see
test_permissions.py).

The fixture's peer interview has ``users["interviewer"]`` as its only interviewer: they
see the interview but may not cancel it. Requests carry no body: a web POST without its
version field is refused with a message (302 back to the application); an API call
without a JSON body answers 400.
"""

from tests.web.test_permissions import expect

STAFF_WEB = {"admin": 302, "recruiter": 302, "hiring_manager": 302}
STAFF_API = {"admin": 400, "recruiter": 400, "hiring_manager": 400}

MATRIX = {
    ("POST", "hiring.cancel"): (
        lambda f: f"/hiring/interviews/{f.interview_id}/cancel",
        expect(302, **STAFF_WEB, default=403),
    ),
    ("POST", "hiring.candidate_timezone"): (
        lambda f: f"/hiring/candidates/{f.candidate_id}/timezone",
        expect(302, admin=302, recruiter=302, default=404),
    ),
    ("POST", "api.interview_cancel"): (
        lambda f: f"/api/v1/interviews/{f.interview_id}/cancel",
        expect(401, **STAFF_API, interviewer=403, team_member=404),
    ),
    ("PATCH", "api.candidate_update"): (
        lambda f: f"/api/v1/candidates/{f.candidate_id}",
        expect(401, admin=400, recruiter=400, default=404),
    ),
}
