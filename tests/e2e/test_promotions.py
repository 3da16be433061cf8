"""A manager prepares a promotion packet in the browser and the approver approves it.

Morgan Manager manages Mika Member (a CSM) and reports to Ada Admin. The packet is filled
in through the page's saving-as-you-type, a second tab editing the same section sees the
other text instead of overwriting it, and the person reads the decision on their path.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.e2e


def test_manager_prepares_a_packet_and_the_approver_approves_it(browser, page, live_server):
    sign_in(page, live_server, "manager@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Promotions").click()
    page.wait_for_url(f"{live_server}/promotions/")
    screenshot(page, "promotions-index-manager")
    row = page.get_by_role("row").filter(has_text="Mika Member")
    row.get_by_role("button", name="Start a packet").click()

    # The targets: Senior CSM is the next level and is chosen already.
    expect(page.get_by_role("group", name="Next level in the track")).to_be_visible()
    expect(page.get_by_role("radio", name="Senior CSM").first).to_be_checked()
    expect(page.get_by_role("group", name="Switch to the other track")).to_be_visible()
    screenshot(page, "promotions-new")
    page.get_by_role("button", name="Start the packet").click()
    page.wait_for_url(f"{live_server}/promotions/*")
    packet_url = page.url
    expect(
        page.get_by_role("heading", name="Mika Member: CSM (Intermediate) → Senior CSM")
    ).to_be_visible()
    boxes = page.locator("textarea[data-key]")
    assert boxes.count() > 10

    # Typing saves the section by itself.
    first = boxes.first
    first_key = first.get_attribute("data-key")
    first.fill("Ran the team's onboarding for three new customers this quarter.")
    page.locator(f"#saved-{first_key}").filter(has_text="Saved").wait_for()
    assert page.locator("#progress-done").inner_text() == "1"

    # A second tab, opened before the first tab's next change, edits the same section.
    other = browser.new_context(viewport={"width": 1280, "height": 860})
    try:
        tab = other.new_page()
        sign_in(tab, live_server, "manager@example.com")
        tab.goto(packet_url)
        first.fill("Ran onboarding for three customers; wrote the runbook the team uses.")
        page.locator(f"#saved-{first_key}").filter(has_text="Saved").wait_for()
        tab.locator(f"#evidence-{first_key}").fill("Text written in the other tab.")
        conflict = tab.locator(f"#conflict-{first_key}")
        conflict.wait_for()
        assert "wrote the runbook the team uses" in conflict.inner_text()
        screenshot(tab, "promotions-conflict")
        conflict.get_by_role("button", name="Use their text").click()
        assert "wrote the runbook" in tab.locator(f"#evidence-{first_key}").input_value()
    finally:
        other.close()

    # Every other required section, then submit.
    required = page.locator(".packet-section:not(:has(.tag:text('optional'))) textarea")
    for index in range(1, required.count()):
        required.nth(index).fill(f"Evidence for item {index}: led it on two accounts.")
    screenshot(page, "promotions-packet-filled")
    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_text("Packet submitted for approval.").wait_for()
    expect(page.get_by_text("Packet submitted for approval.")).to_be_visible()
    assert page.locator(".packet-status").first.inner_text().strip() == "Submitted"
    expect(page.locator("textarea[data-key]")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    # The manager's own manager decides.
    sign_in(page, live_server, "admin@example.com")
    page.goto(f"{live_server}/promotions/")
    waiting = page.get_by_role("region", name="Waiting for your decision")
    waiting.get_by_role("link", name="Mika Member").click()
    page.wait_for_url(packet_url)
    expect(page.get_by_text("wrote the runbook the team uses")).to_be_visible()
    page.get_by_label("Approve").check()
    page.get_by_label("Comment").fill("Clear evidence on every item. Approved from January.")
    screenshot(page, "promotions-decision")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Packet approved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Approved by Ada Admin")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # The person reads it from their path.
    sign_in(page, live_server, "member@example.com")
    page.goto(f"{live_server}/careers/me")
    packets = page.get_by_role("region", name="Promotion packets about you")
    packets.get_by_role("link", name="Senior CSM").click()
    page.wait_for_url(packet_url)
    expect(page.get_by_text("Approved from January.")).to_be_visible()
    expect(page.locator("textarea[data-key]")).to_have_count(0)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PDF").click()
    assert info.value.suggested_filename.startswith("promotion-packet-")
    saved = ARTIFACTS / "promotion-packet-member.pdf"
    info.value.save_as(str(saved))
    from pypdf import PdfReader

    text = " ".join(page_.extract_text() for page_ in PdfReader(saved).pages)
    assert "Mika Member" in text and "Approved" in text and "wrote the runbook" in text
    screenshot(page, "promotions-packet-member")
