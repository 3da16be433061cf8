"""An admin reads a message on the Mail page as its recipient would see it."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from playwright.sync_api import expect

from app.services.demo import DEMO_PASSWORD
from tests.e2e.conftest import FLASK, ROOT, screenshot

pytestmark = pytest.mark.e2e


def flask(tmp_path_factory: pytest.TempPathFactory, *args: str) -> str:
    """A command on the live server's database (made by the live_server fixture)."""
    [database] = tmp_path_factory.getbasetemp().glob("live[0-9]*/live.db")
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "HIRELADDER_ENV": "development",
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "e2e-secret-key",
    }
    env.pop("TEST_DATABASE_URL", None)
    env.pop("HIRELADDER_SMTP_URL", None)
    done = subprocess.run(  # noqa: S603
        [*FLASK, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def test_a_kept_message_is_shown_as_sent(page, live_server, tmp_path_factory):
    flask(tmp_path_factory, "mail", "test", "someone@example.org")
    # The test message, and the demo data's interview invitations.
    report = flask(tmp_path_factory, "worker", "--once")
    assert re.search(r"Worker: [1-9]\d* delivered, 0 to retry", report)

    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail address").fill("admin@example.com")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mail").click()
    page.wait_for_url(f"{live_server}/admin/mail")
    expect(page.get_by_text("messages are kept here, not sent")).to_be_visible()
    screenshot(page, "mail-outbox")

    page.get_by_role("link", name="HireLadder test message").first.click()
    expect(page.get_by_text("someone@example.org").first).to_be_visible()
    frame = page.frame_locator("iframe.mail-frame")
    body = frame.get_by_text("outgoing mail works")
    body.wait_for()
    expect(body).to_be_visible()
    # The message's own styles apply inside the frame (its layout is styled inline).
    assert frame.locator("body").evaluate("b => getComputedStyle(b).backgroundColor") == (
        "rgb(244, 245, 247)"
    )
    screenshot(page, "mail-message")

    page.get_by_role("link", name="Mail", exact=True).first.click()
    page.get_by_role("link", name="Message templates").click()
    page.wait_for_url(f"{live_server}/admin/mail/templates")
    expect(page.get_by_role("heading", name="Message templates")).to_be_visible()
    screenshot(page, "mail-templates")
