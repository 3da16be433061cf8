"""Permissions matrix entries for the careers site (see test_permissions.py).

The careers site is public by design: anyone, signed in or not, reads the postings and
applies. The posting's editor is on the requisition: its recruiter and admins edit, its
hiring manager looks.
"""

from tests.web.test_permissions import expect

EVERYONE = {"default": 200}
STAFF_VIEW = {"admin": 200, "recruiter": 200, "hiring_manager": 200, "default": 403}
# An empty form: invalid (422) or sent back to the editor (302) for those who may edit.
EDIT = {"admin": 422, "recruiter": 422, "default": 403}
ACT = {"admin": 302, "recruiter": 302, "default": 403}

MATRIX = {
    ("GET", "jobs.index"): (lambda f: "/jobs", expect(200, **EVERYONE)),
    ("GET", "jobs.posting"): (lambda f: f"/jobs/{f.requisition_id}", expect(200, **EVERYONE)),
    # An empty application: refused (no time stamp), the form shown again, for anyone.
    ("POST", "jobs.apply"): (
        lambda f: f"/jobs/{f.requisition_id}/apply",
        expect(400, default=400),
    ),
    ("GET", "jobs.applied"): (
        lambda f: f"/jobs/{f.requisition_id}/applied",
        expect(200, **EVERYONE),
    ),
    ("GET", "jobs.role_description"): (
        lambda f: f"/jobs/{f.requisition_id}/role-description.pdf",
        expect(200, **EVERYONE),
    ),
    ("GET", "hiring.posting_edit"): (
        lambda f: f"/hiring/requisitions/{f.requisition_id}/posting",
        expect(302, **STAFF_VIEW),
    ),
    ("POST", "hiring.posting_save"): (
        lambda f: f"/hiring/requisitions/{f.requisition_id}/posting",
        expect(302, **EDIT),
    ),
    ("POST", "hiring.posting_publish"): (
        lambda f: f"/hiring/requisitions/{f.requisition_id}/posting/publish",
        expect(302, **ACT),
    ),
    ("POST", "hiring.posting_unpublish"): (
        lambda f: f"/hiring/requisitions/{f.requisition_id}/posting/unpublish",
        expect(302, **ACT),
    ),
    ("GET", "hiring.posting_preview"): (
        lambda f: f"/hiring/requisitions/{f.requisition_id}/posting/preview",
        expect(302, **STAFF_VIEW),
    ),
    ("GET", "api.jobs"): (lambda f: "/api/v1/jobs", expect(200, **EVERYONE)),
    ("GET", "api.job"): (lambda f: f"/api/v1/jobs/{f.requisition_id}", expect(200, **EVERYONE)),
    # No body: 400 for recruiting staff; other roles 403 before the body is read.
    ("PATCH", "api.requisition_update"): (
        lambda f: f"/api/v1/requisitions/{f.requisition_id}",
        expect(401, admin=400, recruiter=400, default=403),
    ),
}
