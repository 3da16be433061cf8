"""Permissions matrix entries for the career pages (see test_permissions.py).

Every signed-in user may read every career page; anonymous visitors are sent to sign in.
"""

from tests.web.test_permissions import expect

EVERYONE = {"default": 200}

MATRIX = {
    ("GET", "careers.index"): (lambda f: "/careers/", expect(302, **EVERYONE)),
    ("GET", "careers.family"): (
        lambda f: "/careers/customer-success-management",
        expect(302, **EVERYONE),
    ),
    ("GET", "careers.level"): (
        lambda f: "/careers/levels/staff-csm?specialty=public-sector",
        expect(302, **EVERYONE),
    ),
    ("GET", "careers.compare"): (
        lambda f: "/careers/compare?from=csm&to=senior-csm",
        expect(302, **EVERYONE),
    ),
    ("GET", "careers.my_path"): (lambda f: "/careers/me", expect(302, **EVERYONE)),
    ("GET", "careers.search"): (lambda f: "/careers/search?q=onboarding", expect(302, **EVERYONE)),
}
