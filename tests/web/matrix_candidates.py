"""Permissions matrix entries for candidates' records: the list, a candidate's page, its
edits and merges, and GET /api/v1/candidates/{id} (see test_permissions.py).

Recruiters and admins only: the list answers 403 to other roles, a candidate 404 (like the
privacy pages: hiring managers see candidates on their requisitions' boards). Requests
carry no body: the forms answer 422 (the page again, with the errors) or redirect (303)
with a message; the merge fixture does not exist, so undo and confirm are 404 for all.
"""

from tests.web.test_permissions import expect

RECRUITING_ONLY = {"admin": 200, "recruiter": 200, "default": 404}


def candidate(f, action: str = "") -> str:
    return f"/hiring/candidates/{f.candidate_id}{action}"


MATRIX = {
    ("GET", "hiring.candidates"): (
        lambda f: "/hiring/candidates",
        expect(302, admin=200, recruiter=200, default=403),
    ),
    ("GET", "hiring.candidate"): (lambda f: candidate(f), expect(302, **RECRUITING_ONLY)),
    ("POST", "hiring.candidate_edit"): (
        lambda f: candidate(f, "/edit"),
        expect(302, admin=422, recruiter=422, default=404),
    ),
    ("POST", "hiring.candidate_cv_replace"): (
        lambda f: candidate(f, "/cv/replace"),
        expect(302, admin=422, recruiter=422, default=404),
    ),
    ("POST", "hiring.candidate_tag_add"): (
        lambda f: candidate(f, "/tags"),
        expect(302, admin=422, recruiter=422, default=404),
    ),
    ("POST", "hiring.candidate_tag_remove"): (
        lambda f: candidate(f, "/tags/remove"),
        expect(302, admin=303, recruiter=303, default=404),
    ),
    ("GET", "hiring.candidate_merge"): (
        lambda f: candidate(f, "/merge"),
        expect(302, **RECRUITING_ONLY),
    ),
    ("POST", "hiring.candidate_merge"): (
        lambda f: candidate(f, "/merge"),
        expect(302, admin=303, recruiter=303, default=404),
    ),
    ("POST", "hiring.candidate_merge_undo"): (
        lambda f: "/hiring/candidates/merges/999999/undo",
        expect(302, default=404),
    ),
    ("POST", "hiring.candidate_merge_confirm"): (
        lambda f: "/hiring/candidates/merges/999999/confirm",
        expect(302, default=404),
    ),
    ("GET", "api.candidate_detail"): (
        lambda f: f"/api/v1/candidates/{f.candidate_id}",
        expect(401, **RECRUITING_ONLY),
    ),
}
