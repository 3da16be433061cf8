"""A team member browses career paths: families, the ladder, My path, a comparison, a level."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.e2e


def test_member_browses_career_paths(page, live_server):
    sign_in(page, live_server, "member@example.com")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Career paths").click()
    page.wait_for_url(f"{live_server}/careers/")
    expect(page.get_by_role("heading", name="Career paths", exact=True)).to_be_visible()
    screenshot(page, "careers-index")

    page.get_by_role("link", name="Customer Success Management", exact=True).click()
    chart = page.locator("figure.ladder-chart svg")
    expect(chart).to_be_visible()
    # The picture fits the page: no horizontal scrolling at this width.
    box = chart.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280
    expect(chart.locator("a[data-level]")).to_have_count(14)  # 12 levels + 2 of other families
    expect(page.get_by_role("heading", name="The ladder in words")).to_be_visible()
    screenshot(page, "careers-family-csm")
    chart.locator('a[data-level="senior-csm"]').click()
    page.wait_for_url(f"{live_server}/careers/levels/senior-csm")

    page.get_by_role("navigation", name="Career paths").get_by_role("link", name="My path").click()
    page.wait_for_url(f"{live_server}/careers/me")
    expect(page.get_by_role("heading", name="Where you are")).to_be_visible()
    expect(page.get_by_text("Morgan Manager")).to_be_visible()
    expect(page.get_by_role("heading", name="Senior CSM")).to_be_visible()
    screenshot(page, "careers-my-path")

    page.get_by_role("link", name="full comparison").first.click()
    page.wait_for_url(f"{live_server}/careers/compare?*")
    assert page.get_by_label("From level").input_value() == "csm"
    assert page.get_by_label("To level").input_value() == "senior-csm"
    expect(page.get_by_role("heading", name="New at Senior CSM").first).to_be_visible()
    kept = page.locator("details").first
    expect(kept.locator("ul")).not_to_be_visible()
    kept.locator("summary").click()
    expect(kept.locator("ul")).to_be_visible()
    screenshot(page, "careers-compare")

    # The same comparison through the form.
    page.get_by_role("navigation", name="Career paths").get_by_role(
        "link", name="Compare levels"
    ).click()
    page.get_by_label("From level").select_option("csm")
    page.get_by_label("To level").select_option("staff-csm")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="New at Staff CSM").first).to_be_visible()

    page.goto(f"{live_server}/careers/levels/staff-csm")
    item = page.locator("li.item").filter(has_text="Provide immediate onboarding activities")
    expect(item.get_by_role("link", name="from Associate CSM")).to_be_visible()
    expect(page.locator("li.item.own").first.get_by_text("this level")).to_be_visible()
    screenshot(page, "careers-level-staff-csm")

    # The role description downloads as a PDF of this level.
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PDF").click()
    download = info.value
    assert download.suggested_filename == "staff-csm-a4.pdf"
    saved = ARTIFACTS / "careers-staff-csm-a4.pdf"
    download.save_as(str(saved))
    data = saved.read_bytes()
    assert data.startswith(b"%PDF-")
    from pypdf import PdfReader

    text = " ".join(page_.extract_text() for page_ in PdfReader(saved).pages)
    assert "Staff CSM" in text and "Grade 9" in text and "Page 1 of" in text

    page.get_by_role("link", name="Public Sector Customer Success Manager").first.click()
    expect(page.get_by_text("Work exclusively with Public Sector customers")).to_be_visible()
    screenshot(page, "careers-level-staff-csm-public-sector")

    page.goto(f"{live_server}/careers/search")
    page.get_by_role("search").get_by_role("searchbox").fill("onboarding")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    assert page.locator("mark").first.inner_text().lower() == "onboarding"
    screenshot(page, "careers-search")


def test_every_family_picture_fits_the_page(page, live_server):
    ARTIFACTS.mkdir(exist_ok=True)
    sign_in(page, live_server, "interviewer@example.com")
    for family_id in (
        "customer-success-management",
        "customer-success-leadership",
        "customer-success-architect",
    ):
        page.goto(f"{live_server}/careers/{family_id}")
        chart = page.locator("figure.ladder-chart")
        box = chart.locator("svg").bounding_box()
        frame = chart.bounding_box()
        assert box is not None and frame is not None
        assert box["x"] >= frame["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
        chart.screenshot(path=str(ARTIFACTS / f"careers-chart-{family_id}.png"))


def test_manager_sees_the_next_manager_level(page, live_server):
    sign_in(page, live_server, "manager@example.com")
    page.goto(f"{live_server}/careers/me")
    expect(page.get_by_role("heading", name="Senior Manager, CSM")).to_be_visible()
    expect(page.get_by_text("Ada Admin")).to_be_visible()
    screenshot(page, "careers-my-path-manager")
