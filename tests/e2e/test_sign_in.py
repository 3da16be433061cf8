"""Each demo user signs in through the real form and sees their own navigation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.services.demo import DEMO_PASSWORD
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

NAVIGATION = {
    "admin@example.com": [
        "Home",
        "Career paths",
        "Promotions",
        "Requisitions",
        "Candidates",
        "Referrals",
        "Reports",
        "Users",
        "Audit log",
        "Mail",
    ],
    "recruiter@example.com": [
        "Home",
        "Career paths",
        "Promotions",
        "Requisitions",
        "Candidates",
        "Referrals",
        "Reports",
    ],
    "manager@example.com": [
        "Home",
        "Career paths",
        "Promotions",
        "Requisitions",
        "My interviews",
        "Referrals",
        "Reports",
    ],
    "interviewer@example.com": [
        "Home",
        "Career paths",
        "Promotions",
        "My interviews",
        "Referrals",
    ],
    "member@example.com": ["Home", "Career paths", "Promotions", "Referrals"],
}


def sign_in(page, base: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("email", list(NAVIGATION))
def test_demo_user_signs_in_and_sees_own_navigation(page, live_server, email):
    sign_in(page, live_server, email)
    expect(page.get_by_role("status").filter(has_text="Demo data")).to_have_count(1)
    nav = page.get_by_role("navigation", name="Main")
    links = [t.strip() for t in nav.get_by_role("link").all_inner_texts()]
    # Brand first, then the role's entries, then the account link.
    assert links[1:-1] == NAVIGATION[email]
    screenshot(page, f"home-{email.split('@')[0]}")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server}/login?signed_out=1")
    expect(page.get_by_text("You are signed out.")).to_be_visible()


def test_admin_changes_a_role_and_sees_it_in_the_audit_log(page, live_server):
    sign_in(page, live_server, "admin@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    screenshot(page, "admin-users")
    page.get_by_role("link", name="Mika Member").click()
    page.get_by_label("Recruiter").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Changes saved.")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    row = page.get_by_role("row").filter(has_text="user.update").first
    assert "recruiter" in row.inner_text()
    screenshot(page, "admin-audit")


def test_wrong_password_shows_the_message_on_the_form(page, live_server):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail address").fill("member@example.com")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("E-mail address or password is not right.")).to_be_visible()
    screenshot(page, "login-error")


def test_recruiter_moves_a_candidate_on_the_board(page, live_server):
    sign_in(page, live_server, "recruiter@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requisitions").click()
    screenshot(page, "recruiter-requisitions")
    page.get_by_role("link", name="Senior CSM, Public Sector (demo)").click()
    screenshot(page, "recruiter-board")
    card = page.locator(".card-candidate").filter(has_text="Priya Natarajan")
    card.get_by_role("button", name="Advance").click()
    expect(page.get_by_text("Priya Natarajan moved to Written Assessment.")).to_be_visible()
    page.get_by_role("link", name="Priya Natarajan").click()
    expect(page.get_by_role("heading", name="Priya Natarajan")).to_be_visible()
    screenshot(page, "recruiter-application")
