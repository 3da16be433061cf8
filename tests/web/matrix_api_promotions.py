"""Permissions matrix entries for the promotion-packet JSON API (see test_permissions.py).

The ``promotion_objects`` fixture: the hiring manager wrote a draft packet for the team
member and a submitted one for the interviewer, and reports to the admin (the approver);
the recruiter has nothing to do with either. Requests carry the session cookie and no
body: a change the role may make answers 400 (the body must be a JSON object); a reader
who may not make it 403; anyone who may not read the packet 404.
"""

from tests.web.test_permissions import expect

# Who reads each packet; everyone else gets 404.
DRAFT_READERS = {"admin": 200, "hiring_manager": 200, "team_member": 200, "default": 404}
SUBMITTED_READERS = {"admin": 200, "hiring_manager": 200, "interviewer": 200, "default": 404}
# Only the author (or the person's manager: the same user here) changes a draft.
EDIT_DRAFT = {"admin": 403, "hiring_manager": 400, "team_member": 403, "default": 404}
# The editors and admins withdraw an open packet; the person (a reader) may not.
WITHDRAW_DRAFT = {"admin": 400, "hiring_manager": 400, "team_member": 403, "default": 404}


def packet(f, action: str = "", which: str = "draft") -> str:
    packet_id = f.draft_packet_id if which == "draft" else f.submitted_packet_id
    return f"/api/v1/promotions/{packet_id}{action}"


MATRIX = {
    ("GET", "api.ladder_diff"): (
        lambda f: "/api/v1/ladder/diff?from=csm&to=senior-csm",
        expect(401, default=200),
    ),
    ("GET", "api.promotion_list"): (lambda f: "/api/v1/promotions", expect(401, default=200)),
    # Anyone may try (the 403 comes once the body names someone who is not their report).
    ("POST", "api.promotion_create"): (lambda f: "/api/v1/promotions", expect(401, default=400)),
    ("GET", "api.promotion_detail"): (lambda f: packet(f), expect(401, **DRAFT_READERS)),
    ("PATCH", "api.promotion_update"): (lambda f: packet(f), expect(401, **EDIT_DRAFT)),
    ("POST", "api.promotion_submit"): (lambda f: packet(f, "/submit"), expect(401, **EDIT_DRAFT)),
    ("POST", "api.promotion_decision"): (
        lambda f: packet(f, "/decision", "submitted"),
        # The admin is the author's manager; the author and the person may not decide.
        expect(401, admin=400, hiring_manager=403, interviewer=403, default=404),
    ),
    ("POST", "api.promotion_withdraw"): (
        lambda f: packet(f, "/withdraw"),
        expect(401, **WITHDRAW_DRAFT),
    ),
    ("GET", "api.promotion_document_pdf"): (
        lambda f: packet(f, "/document.pdf", "submitted"),
        expect(401, **SUBMITTED_READERS),
    ),
}
