"""Permissions matrix entries for referrals (see test_permissions.py).

Every signed-in user may refer someone and read their own referrals. The fixture's
application is not a referral, so its referral view is 404 for everyone (the owner check
is in test_referrals.py). A POST with no body: the web form answers 422 (its fields are
missing), the API 400 (the body must be a JSON object).
"""

from tests.web.test_permissions import expect

MATRIX = {
    ("GET", "referrals.new"): (lambda f: "/referrals/new", expect(302, default=200)),
    ("POST", "referrals.new"): (lambda f: "/referrals/new", expect(302, default=422)),
    ("GET", "referrals.mine"): (lambda f: "/referrals", expect(302, default=200)),
    ("GET", "api.referral_list"): (lambda f: "/api/v1/referrals", expect(401, default=200)),
    ("POST", "api.referral_create"): (lambda f: "/api/v1/referrals", expect(401, default=400)),
    ("GET", "api.referral_detail"): (
        lambda f: f"/api/v1/referrals/{f.application_id}",
        expect(401, default=404),
    ),
}
