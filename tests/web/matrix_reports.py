"""Permissions matrix entries for the hiring reports (see test_permissions.py): admins,
recruiters and hiring managers see them (their own requisitions' numbers); interviewers
and team members get 403; anonymous visitors go to sign in (pages) or get 401 (API)."""

from tests.web.test_permissions import expect

SEE = expect(302, admin=200, recruiter=200, hiring_manager=200, default=403)
API = expect(401, admin=200, recruiter=200, hiring_manager=200, default=403)

PAGES = {
    "funnel": "funnel",
    "time_in_stage": "time-in-stage",
    "sources": "sources",
    "open_requisitions": "open-requisitions",
    "overdue_scorecards": "overdue-scorecards",
}

MATRIX = {("GET", "reports.index"): (lambda f: "/reports/", SEE)}
for _endpoint, _slug in PAGES.items():
    MATRIX[("GET", f"reports.{_endpoint}")] = (lambda f, s=_slug: f"/reports/{s}", SEE)
    MATRIX[("GET", f"reports.{_endpoint}_chart")] = (lambda f, s=_slug: f"/reports/{s}.svg", SEE)
    MATRIX[("GET", f"reports.{_endpoint}_csv")] = (lambda f, s=_slug: f"/reports/{s}.csv", SEE)
    MATRIX[("GET", f"api.report_{_endpoint}")] = (lambda f, s=_slug: f"/api/v1/reports/{s}", API)
