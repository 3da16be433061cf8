"""Pickers that fit, in the browser: typing in the interviewer filter hides people who do
not match, and a requisition's specialty choices follow the chosen level. Reads the demo
data only (nothing is saved)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.e2e


def test_interviewer_filter_hides_people_who_do_not_match(page, live_server):
    sign_in(page, live_server, "recruiter@example.com")
    page.goto(f"{live_server}/hiring/requisitions")
    page.get_by_role("link", name="Senior CSM, Public Sector (demo)").click()
    page.locator('a[href*="/hiring/applications/"]').first.click()
    page.locator(
        'a[href*="/hiring/applications/"][href*="/interviews/peer-interview"]'
    ).first.click()
    people = page.locator("#interviewers-list li")
    # count() does not wait: the schedule page must be there first.
    expect(people.first).to_be_visible()
    everyone = people.count()
    assert everyone > 2
    expect(people.filter(has_text="Ines Interviewer")).to_be_visible()
    box = page.get_by_label("Find a person")
    box.fill("ines")
    expect(page.locator("#interviewers-list li:visible")).to_have_count(1)
    expect(people.filter(has_text="Ines Interviewer")).to_be_visible()
    expect(page.get_by_text(f"1 of {everyone} shown")).to_be_visible()
    box.fill("")
    expect(page.locator("#interviewers-list li:visible")).to_have_count(everyone)


def test_specialty_choices_follow_the_level(page, live_server):
    sign_in(page, live_server, "recruiter@example.com")
    page.goto(f"{live_server}/hiring/requisitions/new")
    level = page.locator("#level_id")
    specialty = page.locator("#specialty_id")
    level.select_option("senior-csm")
    specialty.select_option("strategic")
    expect(specialty).to_have_value("strategic")
    # An architect level has no "strategic" specialty: the choice is cleared and hidden.
    level.select_option("csa")
    expect(specialty).to_have_value("")
    expect(specialty.locator('option[value="strategic"]')).to_be_disabled()
    expect(specialty.locator('option[value="public-sector"]')).to_be_enabled()
    level.select_option("senior-csm")
    expect(specialty.locator('option[value="strategic"]')).to_be_enabled()
