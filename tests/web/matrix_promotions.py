"""Permissions matrix entries for the promotion pages (see test_permissions.py).

The fixture's people: the team member and the interviewer report to the hiring manager, who
reports to the admin. The hiring manager prepared a draft packet for the team member and a
submitted one for the interviewer; the recruiter is unrelated to both. A packet a user may
not read is a 404; one they may read but not change is a 403.
"""

from tests.web.test_permissions import expect

MATRIX = {
    ("GET", "promotions.index"): (lambda f: "/promotions/", expect(302, default=200)),
    ("GET", "promotions.new"): (
        lambda f: f"/promotions/new/{f.users['team_member']}",
        expect(302, hiring_manager=200, default=404),
    ),
    # An empty form: the manager is told to choose a level; nobody else reaches the form.
    ("POST", "promotions.new"): (
        lambda f: f"/promotions/new/{f.users['team_member']}",
        expect(302, hiring_manager=422, default=404),
    ),
    ("GET", "promotions.packet"): (
        lambda f: f"/promotions/{f.draft_packet_id}",
        expect(302, admin=200, hiring_manager=200, team_member=200, default=404),
    ),
    ("POST", "promotions.save"): (
        lambda f: f"/promotions/{f.draft_packet_id}",
        expect(302, hiring_manager=302, admin=403, team_member=403, default=404),
    ),
    # An empty request: the editor is told what is missing.
    ("POST", "promotions.autosave"): (
        lambda f: f"/promotions/{f.draft_packet_id}/sections/{f.draft_section_key}",
        expect(302, hiring_manager=400, admin=403, team_member=403, default=404),
    ),
    # The author and admins withdraw; the person reads it but may not.
    ("POST", "promotions.withdraw"): (
        lambda f: f"/promotions/{f.draft_packet_id}/withdraw",
        expect(302, hiring_manager=302, admin=302, team_member=403, default=404),
    ),
    # Only the author's own manager (the admin here) decides; the author and the person
    # read it but may not; the team member and the recruiter cannot see it at all.
    ("POST", "promotions.decision"): (
        lambda f: f"/promotions/{f.submitted_packet_id}/decision",
        expect(302, admin=422, hiring_manager=403, interviewer=403, default=404),
    ),
}
