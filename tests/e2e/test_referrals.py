"""A team member refers someone with a CV; the recruiter finds the card on the board with
the source "Referral", and the referrer follows only the referral's status."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import MINIMAL_PDF
from tests.e2e.conftest import screenshot
from tests.e2e.test_hiring_flow import sign_out
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.e2e

ROLE = "Customer Success Architect (demo)"


def test_member_refers_and_recruiter_sees_the_referral_card(page, live_server, tmp_path):
    cv = tmp_path / "rowan-cv.pdf"
    cv.write_bytes(MINIMAL_PDF)

    sign_in(page, live_server, "member@example.com")
    page.get_by_role("link", name="Refer someone").click()
    page.wait_for_url(f"{live_server}/referrals/new")
    page.get_by_label("Role", exact=True).select_option(
        label=f"{ROLE} — Customer Success Architect (CSA) (Intermediate), grade 6"
    )
    page.get_by_label("Their name").fill("Rowan Referred")
    page.get_by_label("Their e-mail address").fill("rowan.referred@example.net")
    page.get_by_label("Why you recommend them").fill(
        "Rowan ran our customer onboarding programme for two years."
    )
    page.get_by_label("Their CV").set_input_files(str(cv))
    page.get_by_label("The person agreed to be referred").check()
    screenshot(page, "referrals-new")
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_url(f"{live_server}/referrals")
    expect(page.get_by_text("Thank you: Rowan Referred is referred")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Rowan Referred")
    expect(row).to_contain_text(ROLE)
    expect(row).to_contain_text("In process")
    # The demo's earlier referrals: one in process, one not moving forward.
    expect(page.get_by_role("row").filter(has_text="Kai Müller")).to_contain_text(
        "Not moving forward"
    )
    screenshot(page, "referrals-mine")
    sign_out(page)

    sign_in(page, live_server, "recruiter@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requisitions").click()
    page.get_by_role("link", name=ROLE).click()
    card = page.locator("article.card-candidate").filter(has_text="Rowan Referred")
    expect(card).to_be_visible()
    expect(card.locator(".card-source")).to_contain_text("Referral")
    expect(card.locator(".card-source")).to_contain_text("by Mika Member")
    screenshot(page, "referrals-board-card")
    card.get_by_role("link", name="Rowan Referred").click()
    expect(page.get_by_text("Referred by")).to_be_visible()
    expect(page.get_by_text("Rowan ran our customer onboarding programme")).to_be_visible()
