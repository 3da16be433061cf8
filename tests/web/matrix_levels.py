"""Permissions matrix entries for the level history: a person's career path (their manager
and admins; the person is sent to My path; anyone else 404) and recording a last day
(admins; an empty form answers 422)."""

from tests.web.test_permissions import expect

MATRIX = {
    # The team member reports to the hiring manager (the promotion_objects fixture).
    ("GET", "careers.person_path"): (
        lambda f: f"/careers/people/{f.users['team_member']}",
        expect(302, admin=200, hiring_manager=200, team_member=302, default=404),
    ),
    ("POST", "admin.user_left"): (
        lambda f: f"/admin/users/{f.users['team_member']}/left",
        expect(302, admin=422, default=403),
    ),
}
