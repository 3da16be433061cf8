"""Permissions matrix entries for two-step sign-in (see test_permissions.py).

Everyone signed in manages their own two-step sign-in; the second step of a sign-in is
for people who are not signed in yet and sends everyone else on; only admins reset
another user's.
"""

from tests.web.test_permissions import expect

MATRIX = {
    # No pending sign-in: back to the sign-in form; signed in: on to the home page.
    ("GET", "auth.login_verify"): (lambda f: "/login/verify", expect(302, default=302)),
    ("POST", "auth.login_verify"): (lambda f: "/login/verify", expect(302, default=302)),
    ("GET", "auth.mfa_settings"): (lambda f: "/account/mfa", expect(302, default=200)),
    ("POST", "auth.mfa_setup"): (lambda f: "/account/mfa/setup", expect(302, default=302)),
    # An empty form: the page again, with the message at the field.
    ("POST", "auth.mfa_confirm"): (lambda f: "/account/mfa/confirm", expect(302, default=200)),
    ("POST", "auth.mfa_recovery_codes"): (
        lambda f: "/account/mfa/recovery-codes",
        expect(302, default=200),
    ),
    ("POST", "auth.mfa_disable"): (lambda f: "/account/mfa/disable", expect(302, default=200)),
    ("POST", "admin.user_mfa_reset"): (
        lambda f: f"/admin/users/{f.users['team_member']}/mfa-reset",
        expect(302, admin=302, default=403),
    ),
}
