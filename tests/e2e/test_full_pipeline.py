"""One candidate from the recruiter screen to the reference check, all in the browser.

The recruiter, the candidate (through the private assessment link, no account), the
hiring manager, the interviewer and the executive (the admin holds the level that
conducts the CSM family's executive interview in the demo data) each do their part.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import rate_every_criterion, screenshot
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.e2e

REQUISITION = "Senior CSM, Public Sector (demo)"
CANDIDATE = "Pat Quinn"


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def open_application(page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requisitions").click()
    page.get_by_role("link", name=REQUISITION).click()
    page.get_by_role("link", name=CANDIDATE).click()


def advance(page, expected_stage: str) -> None:
    page.get_by_role("button", name="Advance").click()
    expect(page.get_by_text(f"{CANDIDATE} moved to {expected_stage}.")).to_be_visible()


def schedule(page, stage: str, people: list[str], when: str) -> None:
    page.locator("li").filter(has_text=stage).get_by_role("link", name="schedule").click()
    for person in people:
        page.get_by_label(person).check()
    page.get_by_label("Starts at", exact=True).fill(when)
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text(f"{stage} scheduled for ")).to_be_visible()


def score_all(page, live_server, email: str, stages: list[str]) -> None:
    sign_in(page, live_server, email)
    for stage in stages:
        page.goto(f"{live_server}/hiring/my-interviews")
        row = page.get_by_role("row").filter(has_text=CANDIDATE).filter(has_text=stage)
        row.get_by_role("link", name="Fill in").click()
        rate_every_criterion(page)
        page.get_by_role("group", name="Overall recommendation").get_by_label(
            "Yes", exact=True
        ).check()
        page.get_by_label("Notes (required to submit)").fill(f"{stage}: solid examples.")
        page.get_by_role("button", name="Submit scorecard").click()
        expect(page.get_by_text("Scorecard submitted.")).to_be_visible()
    sign_out(page)


def test_a_candidate_runs_from_screen_to_references(page, browser, live_server):
    # Recruiter: add the candidate, pass the screen, send the written assessment.
    sign_in(page, live_server, "recruiter@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requisitions").click()
    page.get_by_role("link", name=REQUISITION).click()
    page.get_by_role("button", name="Add candidate").click()
    page.get_by_label("Name").fill(CANDIDATE)
    page.get_by_label("E-mail address").fill("pat.quinn@example.net")
    page.get_by_label("Consent to process data given on").fill("2026-11-20")
    page.get_by_role("button", name="Add candidate").click()
    page.get_by_label("Screen outcome").select_option("passed")
    page.get_by_role("button", name="Record outcome").click()
    advance(page, "Written Assessment")
    # By e-mail: the message is shown as the candidate will get it, then confirmed.
    page.get_by_role("button", name="E-mail it to the candidate…").click()
    expect(page.get_by_text("Written assessment for").first).to_be_visible()
    screenshot(page, "full-assessment-email-preview")
    assert_accessible(page)
    page.get_by_role("button", name="Send the e-mail").click()
    expect(page.get_by_text("on its way to")).to_be_visible()
    # The private link is also shown once, on the page that answers the send (never in
    # a cookie), for the recruiter to copy.
    shown = page.get_by_label("Private link to the written assessment").input_value()
    link = re.search(r"https?://\S+/assessment/\S+", shown)
    assert link is not None, shown
    screenshot(page, "full-assessment-link")

    # The candidate answers through the private link, without an account.
    candidate = browser.new_context().new_page()
    candidate.goto(link.group(0))
    for box in candidate.locator("textarea").all():
        box.fill("In my last role I ran success plans for 40 public-sector accounts.")
    screenshot(candidate, "full-assessment")
    assert_accessible(candidate)
    candidate.get_by_role("button", name="Send my answers").click()
    expect(candidate.get_by_text("received").first).to_be_visible()
    candidate.context.close()

    # Recruiter: past the assessment, then schedule every interview stage.
    page.get_by_role("button", name="Back to the application").click()
    advance(page, "Hiring Manager Interview")
    schedule(page, "Hiring Manager Interview", [], "2026-12-01T09:00")
    schedule(page, "Peer Interview", ["Ines Interviewer"], "2026-12-02T09:00")
    schedule(page, "Panel Interview", ["Ines Interviewer"], "2026-12-03T09:00")
    schedule(page, "Executive Interview", ["Ada Admin"], "2026-12-04T09:00")
    screenshot(page, "full-scheduled")
    sign_out(page)

    score_all(page, live_server, "manager@example.com", ["Hiring Manager Interview"])
    sign_in(page, live_server, "recruiter@example.com")
    open_application(page)
    advance(page, "Peer Interview")
    sign_out(page)

    score_all(page, live_server, "interviewer@example.com", ["Peer Interview", "Panel Interview"])
    score_all(page, live_server, "manager@example.com", ["Panel Interview"])
    sign_in(page, live_server, "recruiter@example.com")
    open_application(page)
    advance(page, "Panel Interview")
    advance(page, "Executive Interview")
    sign_out(page)

    score_all(page, live_server, "admin@example.com", ["Executive Interview"])

    # Only the hiring manager moves the candidate into the reference check.
    sign_in(page, live_server, "manager@example.com")
    open_application(page)
    advance(page, "Reference and Background Check")
    screenshot(page, "full-references")
    timeline = page.locator("ol.timeline").inner_text()
    for step in ("Recruiter Screening", "Written Assessment", "Executive Interview"):
        assert step in timeline

    # The reference check passes; the hiring manager debriefs and levels the candidate one
    # level above the requisition, with the ladder diff in view and a written rationale.
    page.get_by_label("Reference and background check").select_option("passed")
    page.get_by_role("button", name="Record outcome").click()
    screenshot(page, "full-references-passed")
    page.get_by_role("button", name="Debrief").click()
    expect(page.get_by_role("heading", name="Ratings")).to_be_visible()
    page.get_by_label("Hire", exact=True).check()
    page.get_by_role("radio", name=re.compile(r"^Staff CSM")).check()
    diff = page.locator("details").filter(has_text="Staff CSM").first
    diff.locator("summary").click()
    expect(diff.get_by_text("adds").first).to_be_visible()
    screenshot(page, "full-debrief")
    assert_accessible(page)
    page.get_by_label("Rationale").fill("Ran renewals for a whole region: staff-level scope.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Staff CSM").first).to_be_visible()
    sign_out(page)

    # The recruiter drafts the offer at that level, extends it, records the acceptance,
    # and marks the candidate hired.
    sign_in(page, live_server, "recruiter@example.com")
    open_application(page)
    page.get_by_role("button", name="Draft the offer").click()
    expect(page.get_by_label("Level")).to_have_value("staff-csm")
    assert_accessible(page)
    page.get_by_label("Start date").fill("2027-01-04")
    page.get_by_label("Location").fill("Remote, EMEA")
    page.get_by_role("button", name="Draft the offer").click()
    expect(page.get_by_role("button", name="Extend to the candidate")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Extend to the candidate").click()
    page.get_by_text("The candidate accepted").click()
    page.get_by_role("button", name="Record the acceptance").click()
    page.get_by_role("button", name="Mark hired…").click()
    expect(page.get_by_role("button", name="Mark hired", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Mark hired").click()
    expect(page.get_by_text("hired").first).to_be_visible()
    screenshot(page, "full-hired")
    sign_out(page)

    # The new member chooses a password from the welcome message and sees their path
    # start at the level they were hired at.
    sign_in(page, live_server, "admin@example.com")
    page.goto(f"{live_server}/admin/mail")
    page.get_by_role("link", name="Welcome to HireLadder: choose your password").first.click()
    text = page.locator("pre.mail-text").inner_text()
    welcome = re.search(r"https?://\S+", text.split("Choose your password here:")[1])
    assert welcome is not None, text
    sign_out(page)
    # The link names the configured base URL; the test's server listens elsewhere.
    page.goto(live_server + re.sub(r"^https?://[^/]+", "", welcome.group(0)))
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("quiet harbour lantern ninety")
    page.get_by_label("Repeat the new password").fill("quiet harbour lantern ninety")
    chosen_at = page.url
    page.get_by_role("button", name=re.compile("password", re.I)).click()
    # count() does not wait: let the form's answer arrive first.
    page.wait_for_url(lambda url: url != chosen_at)
    if page.get_by_label("E-mail address").count():
        sign_in(page, live_server, "pat.quinn@example.net", password="quiet harbour lantern ninety")
    page.goto(f"{live_server}/careers/me")
    expect(page.get_by_role("heading", name="Level history")).to_be_visible()
    expect(page.get_by_text("You start as Staff CSM on 4 January 2027.")).to_be_visible()
    history = page.locator("section.level-history table")
    expect(history).to_contain_text("Staff CSM")
    expect(history).to_contain_text("hired")
    screenshot(page, "full-new-member-path")
