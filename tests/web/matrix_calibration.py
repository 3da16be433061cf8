"""Permissions matrix entries for interviewer calibration and quality of hire (see
test_permissions.py).

Calibration: every signed-in person sees their own (admins everyone's); asking for
someone else's is 404 (checked in test_calibration_reports.py). Quality of hire: admins,
recruiters and hiring managers (scoped to their requisitions); others 403.
"""

from tests.web.test_permissions import expect

REPORTERS = {"admin": 200, "recruiter": 200, "hiring_manager": 200, "default": 403}

MATRIX = {
    ("GET", "reports.calibration"): (lambda f: "/reports/calibration", expect(302, default=200)),
    ("GET", "reports.calibration_chart"): (
        lambda f: "/reports/calibration/chart.svg",
        expect(302, default=200),
    ),
    ("GET", "reports.calibration_csv"): (
        lambda f: "/reports/calibration.csv",
        expect(302, default=200),
    ),
    ("GET", "reports.quality_of_hire"): (
        lambda f: "/reports/quality-of-hire",
        expect(302, **REPORTERS),
    ),
    ("GET", "reports.quality_of_hire_chart"): (
        lambda f: "/reports/quality-of-hire/chart.svg",
        expect(302, **REPORTERS),
    ),
    ("GET", "reports.quality_of_hire_csv"): (
        lambda f: "/reports/quality-of-hire.csv",
        expect(302, **REPORTERS),
    ),
    ("GET", "api.calibration_report"): (
        lambda f: "/api/v1/reports/calibration",
        expect(401, default=200),
    ),
    ("GET", "api.quality_of_hire_report"): (
        lambda f: "/api/v1/reports/quality-of-hire",
        expect(401, **REPORTERS),
    ),
}
