"""A recruiter finds a candidate by a word of the CV, edits the record and merges a
duplicate record of the same person, then undoes the merge (the demo data has both)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.e2e


def test_search_edit_and_merge(page, live_server):
    sign_in(page, live_server, "recruiter@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Candidates").click()
    page.get_by_label("Search candidates").fill("gainsight")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Alex Rivera")).to_be_visible()
    page.get_by_label("Search candidates").fill("nobody-has-this-word")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No candidate matches “nobody-has-this-word”")).to_be_visible()

    page.get_by_label("Search candidates").fill("priya")
    page.get_by_label("Tag", exact=True).fill("silver-medalist")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Priya Natarajan").click()
    expect(page.get_by_role("heading", name="Applications")).to_be_visible()
    page.get_by_text("Edit contact details and notes").click()
    page.get_by_label("Phone").fill("+44 20 7946 0000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.get_by_text("+44 20 7946 0000")).to_be_visible()

    page.get_by_role("button", name="Merge another record into this one…").click()
    page.get_by_label("Find the other record").fill("lisbon")
    page.get_by_role("button", name="Find").click()
    page.locator(".merge-found").get_by_role("link", name="Priya Natarajan").click()
    screenshot(page, "candidates-merge-preview")
    page.get_by_role("button", name="Merge Priya Natarajan").click()
    expect(page.get_by_text("merged into this one. Check it")).to_be_visible()
    expect(page.locator("div.notes")).to_contain_text("Met at the Lisbon customer success meetup.")
    page.get_by_role("button", name="Undo merge").click()
    expect(page.get_by_text("Merge undone")).to_be_visible()
    screenshot(page, "candidates-record")
