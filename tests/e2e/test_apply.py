"""A visitor without an account finds a job on the careers site and applies with a CV;
the recruiter finds them on the requisition's board."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.conftest import MINIMAL_PDF
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import screenshot
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.e2e

JOB = "Senior CSM, Public Sector (demo)"


def test_a_visitor_applies_and_the_recruiter_finds_them(page, live_server, tmp_path):
    cv = tmp_path / "noor-cv.pdf"
    cv.write_bytes(MINIMAL_PDF)

    # The sign-in page links to the open positions.
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Open positions").first.click()
    expect(page.get_by_role("heading", name="Open positions")).to_be_visible()
    expect(page.get_by_role("link", name="Customer Success Architect (demo)")).to_be_visible()
    screenshot(page, "jobs-list-1280")
    page.get_by_role("link", name=JOB).click()

    # The posting: the ladder's text, the process, the JSON-LD (a data block the CSP lets
    # be: the page fixture fails on any console error, a CSP violation included).
    expect(page.get_by_role("heading", name=JOB, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Our hiring process")).to_be_visible()
    expect(page.get_by_role("button", name="Role description (PDF)")).to_be_visible()
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content() or "")
    assert data["@type"] == "JobPosting" and data["title"] == JOB
    screenshot(page, "jobs-posting-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "jobs-posting-390")
    page.set_viewport_size({"width": 1280, "height": 860})

    # The honeypot is out of sight and out of the tab order.
    honeypot = page.locator("#website")
    expect(honeypot).not_to_be_in_viewport()
    assert honeypot.get_attribute("tabindex") == "-1"

    form = page.locator("#apply")
    form.get_by_label("Full name").fill("Noor Haddad")
    form.get_by_label("E-mail address").fill("noor.haddad@example.net")
    form.get_by_label("Links (optional)").fill("https://example.net/noor")
    form.get_by_label("CV (PDF, Word .docx or plain text)").set_input_files(str(cv))
    form.get_by_label("A note to the team (optional)").fill("Ten years with public agencies.")
    form.get_by_label("I agree to the privacy notice above").check()
    # A person takes longer than the minimum fill time (1 s for this server).
    page.wait_for_timeout(1200)
    form.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("heading", name="Thank you for applying")).to_be_visible()
    screenshot(page, "jobs-thanks")
    assert_accessible(page)

    # The recruiter finds Noor on the board, with the source.
    sign_in(page, live_server, "recruiter@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requisitions").click()
    page.get_by_role("link", name=JOB).click()
    card = page.locator("article.card-candidate").filter(has_text="Noor Haddad")
    expect(card.get_by_text("Careers site")).to_be_visible()
    card.get_by_role("link", name="Noor Haddad").click()
    expect(page.get_by_text("Careers site")).to_be_visible()
    # The recruiter's posting page links to the live posting.
    page.go_back()
    page.get_by_role("button", name="Posting (published)").click()
    expect(page.get_by_role("link", name="View posting")).to_be_visible()
    screenshot(page, "jobs-posting-editor")
