"""Browser tests: a real server process on a fresh SQLite file, driven by Debian's Chromium.

The server runs ``flask db upgrade``, ``flask demo load`` and ``flask run`` exactly as
``make run`` does, on a free port.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("HIRELADDER_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / ".e2e-artifacts"
FLASK = [sys.executable, "-m", "flask"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("live")
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "HIRELADDER_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp / 'live.db'}",
        "SECRET_KEY": "e2e-secret-key",
        # One address signs in as every demo user, page after page: the rate limits have
        # tests of their own (tests/web/test_rate_limits.py).
        "HIRELADDER_RATELIMIT_ENABLED": "0",
        # The application form refuses a form sent faster than this (a bot).
        "HIRELADDER_APPLY_MIN_SECONDS": "1",
    }
    env.pop("TEST_DATABASE_URL", None)
    for args in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([*FLASK, *args], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    port = _free_port()
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [*FLASK, "run", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # up to a minute on a busy machine
            try:
                urllib.request.urlopen(f"{base}/login", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"server did not start; see {tmp / 'server.log'}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's chromium "
            "(`make test` installs it; or run `make test-fast`)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    # Any CSP violation or broken asset shows up as a console error.
    assert not errors, errors


def screenshot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def rate_every_criterion(page: object, value: str = "yes") -> None:
    """Pick ``value`` for every criterion of the scorecard page being opened.

    ``locator.all()`` does not wait, so the table must be on the page first:
    right after the "Fill in" click it may still be the previous page.
    """
    from playwright.sync_api import expect

    page.wait_for_url("**/scorecard")
    table = page.locator("table.criteria")
    expect(table).to_be_visible()
    radios = table.locator(f'input[type="radio"][value="{value}"]')
    expect(radios.first).to_be_visible()
    for radio in radios.all():
        radio.check()
