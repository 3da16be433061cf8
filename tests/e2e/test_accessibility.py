"""axe-core on every page of every role: no serious or critical violation (WCAG 2.1 A/AA).

Each role's crawl starts at the home page and follows links (see tests/e2e/axe.py); the
signed-out crawl starts at the sign-in page and the job board. Together they must reach
every HTML page of the app, except the few listed in EXEMPT, so a new page cannot be
added without being checked.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from playwright.sync_api import expect

from app import create_app
from app.services.demo import DEMO_PASSWORD
from tests.e2e.axe import DOWNLOAD_SUFFIXES, SKIPPED_PREFIXES, crawl

pytestmark = pytest.mark.e2e

WIDTHS = {"wide": 1280, "phone": 390}
# At 1280 px every role's crawl checks each page it reaches, up to two of a kind (two
# objects of one kind may show different parts: a decline, a scorecard, a packet). At
# 390 px, where what changes is the layout, each kind of page is checked once, by the
# role REACHES gives it, to keep the test's time in bounds.
VISITS = {"wide": 2, "phone": 1}

# Where a crawl begins before the home page: a hiring manager at their requisitions, newest
# first, which are the demo's own (candidates at every stage). The generated history's
# newest requisitions, which the home page and the reports link first, may have no open
# application left on the day the test runs, and the crawl visits only two boards.
FIRST_PAGES = {"manager@example.com": ("/hiring/requisitions",)}

# The endpoints each crawl must reach (each listed once, for the least privileged role
# that reaches it); together with EXEMPT, every GET endpoint of the app.
REACHES = {
    None: {
        "auth.login",
        "auth.forgot_password",
        "auth.reset_password",  # an unknown link: the page saying so
        "jobs.index",
        "jobs.posting",
    },
    "member@example.com": {
        "main.index",
        "auth.account",
        "auth.mfa_settings",
        "auth.notifications",
        "careers.index",
        "careers.family",
        "careers.level",
        "careers.compare",
        "careers.my_path",
        "careers.search",
        "promotions.index",
        "referrals.mine",
        "referrals.new",
    },
    "interviewer@example.com": {
        "hiring.my_interviews",
        "hiring.scorecard",
        "hiring.feedback",
        "promotions.packet",
        "reports.calibration",
    },
    "manager@example.com": {
        "careers.person_path",
        "hiring.requisitions",
        "hiring.board",
        "hiring.kit",
        "hiring.application",
        "hiring.schedule",
        "hiring.decline_message",
        "hiring.posting_edit",
        "hiring.posting_preview",
        "promotions.new",
        "reports.index",
        "reports.funnel",
        "reports.open_requisitions",
        "reports.overdue_scorecards",
        "reports.quality_of_hire",
        "reports.sources",
        "reports.time_in_stage",
    },
    "recruiter@example.com": {
        "hiring.candidates",
        "hiring.candidate",
        "hiring.candidate_new",
        "hiring.candidate_erase",
        "hiring.candidate_merge",
        "hiring.requisition_new",
        "hiring.requisition_edit",
    },
    "admin@example.com": {
        "admin.users",
        "admin.user_detail",
        "admin.user_new",
        "admin.audit",
        "admin.mail",
        "admin.mail_message",
        "admin.mail_templates",
        "hiring.offer_approvals",
    },
}

# GET endpoints no crawl checks, and why.
EXEMPT = {
    # Not pages: files and downloads (each has tests of its own). The crawler skips
    # .pdf/.csv/.svg/.ics addresses and /api/ by their look.
    "static",
    "main.health",  # plain text for load balancers (tests/web/test_request_path.py)
    "hiring.candidate_cv",
    "hiring.candidate_export",
    "admin.mail_attachment",
    # Pages reached only in the middle of a flow; the browser test of that flow runs
    # axe-core on them (assert_accessible).
    "auth.login_verify",  # test_mfa.py
    "auth.new_password",  # test_mfa.py
    "assessment.answer",  # test_full_pipeline.py (the link is e-mailed to the candidate)
    "jobs.applied",  # test_apply.py
    # No demo application is at these stages, and the crawl only reads: the browser test
    # that takes an application from screen to hire checks them (test_full_pipeline.py).
    # The offer's edit form is the new-offer form's template (hiring/offer_form.html).
    "hiring.assessment_email",
    "hiring.debrief_page",
    "hiring.offer_new",
    "hiring.offer",
    "hiring.offer_edit",
    "hiring.offer_hire",
    # The e-mail's own HTML, shown in a sandboxed frame of admin.mail_message.
    "admin.mail_message_html",
}


@cache
def _url_map():
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}).url_map


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("email", list(REACHES), ids=lambda e: (e or "public").split("@")[0])
def test_every_page_has_no_serious_violation(browser, live_server, email, width):
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 860})
    try:
        page = context.new_page()
        if email is None:
            start = ("/login", "/jobs", "/login/forgot", "/reset/not-a-link")
        else:
            _sign_in(page, live_server, email)
            start = (*FIRST_PAGES.get(email, ()), "/", "/account/mfa")
        result = crawl(
            page,
            live_server,
            _url_map(),
            start=start,
            per_endpoint=VISITS[width],
            check=True if width == "wide" else frozenset(REACHES[email]),
            skip_endpoints=frozenset(EXEMPT),
            statuses={"/reset/not-a-link": 404},
        )
    finally:
        context.close()
    missing = REACHES[email] - result.reached
    assert not missing, f"not reached: {sorted(missing)}; reached: {sorted(result.reached)}"
    assert not result.problems, result.report()


def _html_endpoints() -> set[str]:
    """Every GET endpoint but the JSON API and the files named by their suffix."""
    return {
        rule.endpoint
        for rule in _url_map().iter_rules()
        if "GET" in (rule.methods or ())
        and not rule.rule.startswith(SKIPPED_PREFIXES)
        and not rule.rule.endswith(DOWNLOAD_SUFFIXES)
    }


def test_every_page_is_checked_by_a_crawl():
    checked = set().union(*REACHES.values())
    assert not checked & EXEMPT
    assert _html_endpoints() - EXEMPT - checked == set(), "add the page to REACHES or EXEMPT"
    assert checked - _html_endpoints() == set()


def test_the_ladder_pictures_levels_are_in_reach_of_the_keyboard(page, live_server):
    _sign_in(page, live_server, "member@example.com")
    page.goto(f"{live_server}/careers/customer-success-management")
    focused = None
    for _ in range(100):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
              const a = document.activeElement.closest('.ladder-svg .ladder-node');
              if (!a) return null;
              const rect = a.querySelector('rect');
              return {level: a.dataset.level, name: a.getAttribute('aria-label'),
                      stroke: getComputedStyle(rect).strokeWidth,
                      outline: getComputedStyle(a).outlineStyle};
            }"""
        )
        if focused:
            break
    assert focused is not None, "no level of the picture took the keyboard's focus"
    assert re.fullmatch(r".+, (Grade \d+|No grade)", focused["name"]), focused["name"]
    # Seen: a thicker border and an outline.
    assert focused["stroke"] == "4px"
    assert focused["outline"] == "solid"
    node = page.locator(f'.ladder-svg a[data-level="{focused["level"]}"]')
    expect(node).to_be_focused()
    expect(page.get_by_role("link", name=focused["name"], exact=True)).to_have_count(1)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/careers/levels/{focused['level']}")
