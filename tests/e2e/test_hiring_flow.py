"""A candidate from the recruiter's form to the hiring manager reading a scorecard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import MINIMAL_PDF
from tests.e2e.conftest import rate_every_criterion, screenshot
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.e2e


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_recruiter_interviewer_and_hiring_manager(page, live_server, tmp_path):
    cv = tmp_path / "dana-cv.pdf"
    cv.write_bytes(MINIMAL_PDF)

    # The recruiter adds a candidate with a CV and moves them past the screen.
    sign_in(page, live_server, "recruiter@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requisitions").click()
    page.get_by_role("link", name="Senior CSM, Public Sector (demo)").click()
    page.get_by_role("button", name="Add candidate").click()
    page.get_by_label("Name").fill("Dana Fischer")
    page.get_by_label("E-mail address").fill("dana.fischer@example.net")
    page.get_by_label("Consent to process data given on").fill("2026-11-20")
    page.get_by_label("CV (PDF, Word .docx or plain text)").set_input_files(str(cv))
    screenshot(page, "flow-add-candidate")
    page.get_by_role("button", name="Add candidate").click()
    expect(page.get_by_text("Dana Fischer added to the pipeline.")).to_be_visible()
    page.get_by_label("Screen outcome").select_option("passed")
    page.get_by_role("button", name="Record outcome").click()
    page.get_by_role("button", name="Advance").click()
    expect(page.get_by_text("Dana Fischer moved to Written Assessment.")).to_be_visible()

    # ... and schedules the peer interview with the interviewer.
    page.locator("li").filter(has_text="Peer Interview").get_by_role(
        "link", name="schedule"
    ).click()
    page.get_by_label("Ines Interviewer").check()
    page.get_by_label("Starts at", exact=True).fill("2026-12-01T15:00")
    page.get_by_role("button", name="Schedule").click()
    expect(
        page.get_by_text("Peer Interview scheduled for Tue 1 Dec 2026, 15:00 UTC.")
    ).to_be_visible()
    screenshot(page, "flow-application")
    sign_out(page)

    # The interviewer fills in and submits the scorecard.
    sign_in(page, live_server, "interviewer@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My interviews").click()
    page.get_by_role("row").filter(has_text="Dana Fischer").get_by_role(
        "link", name="Fill in"
    ).click()
    rate_every_criterion(page)
    # The interview kit's questions are beside the criterion; a note goes with it.
    communication = page.locator("table.criteria tr").filter(
        has=page.locator('textarea[name="note-competency:communication"]')
    )
    communication.get_by_text("Questions to ask (2)").click()
    expect(
        communication.get_by_text("explain a product limitation to an unhappy customer")
    ).to_be_visible()
    communication.get_by_text("Add a note").click()
    communication.get_by_label("Your note on Communication").fill("Clear about the limits.")
    page.get_by_role("group", name="Overall recommendation").get_by_label("Strong yes").check()
    page.get_by_label("Notes (required to submit)").fill("Walked through a real success plan.")
    screenshot(page, "flow-scorecard")
    page.get_by_role("button", name="Submit scorecard").click()
    expect(page.get_by_text("Scorecard submitted.")).to_be_visible()
    sign_out(page)

    # The hiring manager reads it side by side.
    sign_in(page, live_server, "manager@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requisitions").click()
    page.get_by_role("link", name="Senior CSM, Public Sector (demo)").click()
    page.get_by_role("link", name="Dana Fischer").click()
    page.get_by_role("link", name="Submitted feedback, side by side").click()
    expect(page.get_by_text("Walked through a real success plan.")).to_be_visible()
    expect(page.locator("table.feedback-summary")).to_be_visible()
    expect(page.get_by_text("Clear about the limits.")).to_be_visible()
    expect(page.get_by_role("cell", name="Strong yes").first).to_be_visible()
    screenshot(page, "flow-feedback")
