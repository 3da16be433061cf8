"""A person turns two-step sign-in on from their account page and signs in with a code."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from app.services.demo import DEMO_PASSWORD
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

EMAIL = "two.step@example.com"
PASSWORD = "a long and fine password"
INITIAL_PASSWORD = "amber lantern under snow"


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def create_user(page, base: str) -> None:
    """A user of its own, so that the demo users' tests still sign in with a password."""
    sign_in(page, base, "admin@example.com", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/admin/users/new")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Display name").fill("Tove Twostep")
    page.get_by_label("Initial password").fill(INITIAL_PASSWORD)
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_text(f"User {EMAIL} created.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/login?signed_out=1")


def test_enrol_and_sign_in_with_a_code(page, live_server):
    create_user(page, live_server)
    sign_in(page, live_server, EMAIL, INITIAL_PASSWORD)
    # The admin chose the password: the person replaces it before anything else.
    page.wait_for_url(f"{live_server}/account/new-password")
    assert_accessible(page)
    page.get_by_label("Current password").fill(INITIAL_PASSWORD)
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the new password").fill(PASSWORD)
    page.get_by_role("button", name="Save my password").click()
    page.wait_for_url(f"{live_server}/")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Tove Twostep").click()
    page.get_by_role("button", name="Set up two-step sign-in").click()
    page.wait_for_url(f"{live_server}/account/mfa")
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0, "the QR code image renders"
    screenshot(page, "mfa-enrolment")
    assert_accessible(page)
    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)

    page.get_by_label("Code").fill(totp.now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    assert re.fullmatch(r"[0-9a-z]{5}(-[0-9a-z]{5}){4}", codes.first.inner_text().strip())
    screenshot(page, "mfa-recovery-codes")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server}/login?signed_out=1")

    # Keep me signed in does not skip the code.
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Keep me signed in on this device").check()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/login/verify")
    screenshot(page, "mfa-verify")
    assert_accessible(page)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("That code is not right, or was used already.")).to_be_visible()
    # The code that turned it on was spent; the next step's code is within the window.
    page.get_by_label("Code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{live_server}/")
    expect(page.get_by_text("Signed in as Tove Twostep.")).to_be_visible()
