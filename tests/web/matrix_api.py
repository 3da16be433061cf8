"""Permissions matrix entries for the hiring JSON API (see test_permissions.py).

Requests carry the session cookie and no body: anonymous callers get 401; a POST that the
role may make gets 400 (the body must be a JSON object); a role that may never make the
call gets 403; an object the caller may not see is 404. The fixture's peer interview has
``users["interviewer"]`` as its only interviewer.
"""

from tests.web.test_permissions import expect

STAFF = {"admin": 200, "recruiter": 200, "hiring_manager": 200}
RECRUITING_READ = {"admin": 200, "recruiter": 200, "default": 403}
RECRUITING_POST = {"admin": 400, "recruiter": 400, "default": 403}
# Staff of the requisition may move its applications; nobody else sees them.
MOVE = {"admin": 400, "recruiter": 400, "hiring_manager": 400, "default": 404}


def application(f, action: str = "") -> str:
    return f"/api/v1/applications/{f.application_id}{action}"


MATRIX = {
    ("GET", "api.openapi_document"): (lambda f: "/api/v1/openapi.json", expect(200, default=200)),
    ("GET", "api.ladder_levels"): (lambda f: "/api/v1/ladder/levels", expect(401, default=200)),
    ("GET", "api.requisitions"): (
        lambda f: "/api/v1/requisitions",
        expect(401, **STAFF, default=403),
    ),
    ("POST", "api.requisition_create"): (
        lambda f: "/api/v1/requisitions",
        expect(401, **RECRUITING_POST),
    ),
    ("GET", "api.requisition_detail"): (
        lambda f: f"/api/v1/requisitions/{f.requisition_id}",
        expect(401, **STAFF, default=403),
    ),
    ("GET", "api.candidates"): (lambda f: "/api/v1/candidates", expect(401, **RECRUITING_READ)),
    ("POST", "api.candidate_create"): (
        lambda f: "/api/v1/candidates",
        expect(401, **RECRUITING_POST),
    ),
    ("GET", "api.applications"): (
        lambda f: "/api/v1/applications",
        expect(401, **STAFF, default=403),
    ),
    ("POST", "api.application_create"): (
        lambda f: "/api/v1/applications",
        expect(401, **RECRUITING_POST),
    ),
    ("GET", "api.application_detail"): (
        lambda f: application(f),
        expect(401, **STAFF, default=404),
    ),
    ("POST", "api.application_advance"): (
        lambda f: application(f, "/advance"),
        expect(401, **MOVE),
    ),
    ("POST", "api.application_decline"): (
        lambda f: application(f, "/decline"),
        expect(401, **MOVE),
    ),
    ("POST", "api.application_withdraw"): (
        lambda f: application(f, "/withdraw"),
        expect(401, **MOVE),
    ),
    ("POST", "api.application_screen"): (
        lambda f: application(f, "/screen"),
        expect(401, admin=400, recruiter=400, hiring_manager=403, default=404),
    ),
    ("POST", "api.interview_schedule"): (
        lambda f: application(f, "/interviews"),
        expect(401, **MOVE),
    ),
    # Everyone interviews: each caller gets their own interviews (none, or the fixture's).
    ("GET", "api.my_interviews"): (lambda f: "/api/v1/interviews", expect(401, default=200)),
    ("GET", "api.interview_detail"): (
        lambda f: f"/api/v1/interviews/{f.interview_id}",
        expect(401, **STAFF, interviewer=200, team_member=404),
    ),
    ("POST", "api.scorecard_save"): (
        lambda f: f"/api/v1/interviews/{f.interview_id}/scorecard",
        expect(401, admin=404, recruiter=404, hiring_manager=404, interviewer=400, default=404),
    ),
}
