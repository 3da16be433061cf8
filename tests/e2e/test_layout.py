"""Every role's main job on a 390 px phone, the pages of each role without sideways
scrolling, the board and the scorecard by keyboard alone, and the whole board at 1280 px.

The candidates here are added by the tests themselves (names no other test uses), on a
requisition no other browser test touches, so the shared demo data stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
# The scripted demo requisition: the same whatever the day (the generated history's
# requisitions are named after months relative to today). A CSM level, with a candidate
# at every stage.
REQUISITION = "Senior CSM, Public Sector (demo)"
BOARD_WITH_EVERY_STAGE = REQUISITION


@pytest.fixture
def phone(browser) -> Iterator[object]:
    """A page on a phone-sized screen, failing on console errors as ``page`` does."""
    context = browser.new_context(viewport=PHONE, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not errors, errors


def assert_no_page_scroll(page) -> None:
    """The page is no wider than the window: nothing to scroll sideways."""
    page.wait_for_load_state()
    widths = page.evaluate(
        "({page: document.documentElement.scrollWidth, window: window.innerWidth})"
    )
    assert widths["page"] <= widths["window"], f"{page.url}: {widths}"


def open_menu(page) -> None:
    """On a narrow screen the main menu is folded behind the Menu button."""
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")


def go_to(page, label: str) -> None:
    open_menu(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name=label).click()
    assert_no_page_scroll(page)


def sign_out(page) -> None:
    open_menu(page)
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url("**/login?signed_out=1")


def add_candidate(page, name: str, email: str) -> None:
    """As the recruiter: a new candidate on REQUISITION, screened and passed (left on the
    application page)."""
    go_to(page, "Requisitions")
    page.get_by_role("link", name=REQUISITION).click()
    assert_no_page_scroll(page)
    page.get_by_role("button", name="Add candidate").click()
    assert_no_page_scroll(page)
    page.get_by_label("Name").fill(name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Consent to process data given on").fill("2026-11-20")
    page.get_by_role("button", name="Add candidate").click()
    expect(page.get_by_text(f"{name} added to the pipeline.")).to_be_visible()
    assert_no_page_scroll(page)
    page.get_by_label("Screen outcome").select_option("passed")
    page.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_text("Screen recorded as passed.")).to_be_visible()
    assert_no_page_scroll(page)


def schedule_peer_interview(page) -> None:
    """From the application page: the peer interview, with Ines Interviewer."""
    page.locator("li").filter(has_text="Peer Interview").get_by_role(
        "link", name="schedule"
    ).click()
    assert_no_page_scroll(page)
    page.get_by_label("Ines Interviewer").check()
    page.get_by_label("Starts at", exact=True).fill("2026-12-02T10:00")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("Peer Interview scheduled for")).to_be_visible()
    assert_no_page_scroll(page)


def card(scope, name: str):
    """The candidate's card on the board (``scope``: the page or a column)."""
    page = getattr(scope, "page", scope)
    return scope.locator("article.card-candidate").filter(
        has=page.get_by_role("link", name=name, exact=True)
    )


def column(page, stage: str):
    return page.locator("section.column").filter(
        has=page.get_by_role("heading", name=re.compile(f"^{stage}"))
    )


# --- each role's main job on a phone ------------------------------------------------


def test_recruiter_advances_a_card_on_a_phone(phone, live_server):
    page = phone
    sign_in(page, live_server, "recruiter@example.com")
    assert_no_page_scroll(page)
    # The menu is folded: the logo and the button, nothing off-screen.
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_hidden()
    add_candidate(page, "Noa Lindqvist", "noa.lindqvist@example.net")

    page.get_by_role("link", name=f"← {REQUISITION}").click()
    assert_no_page_scroll(page)
    board = page.get_by_role("region", name="Pipeline board")
    # The board scrolls within itself: wider than the screen, the page is not.
    assert board.evaluate("b => b.scrollWidth > b.clientWidth")
    noa = card(page, "Noa Lindqvist")
    noa.scroll_into_view_if_needed()
    expect(noa).to_be_in_viewport()
    box = noa.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, "phone-board")
    noa.get_by_role("button", name="Advance").click()
    expect(page.get_by_text("Noa Lindqvist moved to Written Assessment.")).to_be_visible()
    assert_no_page_scroll(page)
    expect(card(column(page, "Written Assessment"), "Noa Lindqvist")).to_have_count(1)
    expect(card(column(page, "Recruiter Screening"), "Noa Lindqvist")).to_have_count(0)
    # Sign out is within reach, behind the menu.
    sign_out(page)


def test_interviewer_submits_a_scorecard_on_a_phone(phone, live_server):
    page = phone
    sign_in(page, live_server, "recruiter@example.com")
    add_candidate(page, "Oskar Veldt", "oskar.veldt@example.net")
    schedule_peer_interview(page)
    sign_out(page)

    sign_in(page, live_server, "interviewer@example.com")
    assert_no_page_scroll(page)
    go_to(page, "My interviews")
    page.get_by_role("row").filter(has_text="Oskar Veldt").get_by_role(
        "link", name="Fill in"
    ).click()
    page.wait_for_url("**/scorecard")
    assert_no_page_scroll(page)
    # Each rating is readable and in reach: every radio inside the screen, with its
    # label shown next to it.
    radios = page.locator('table.criteria input[type="radio"][value="yes"]')
    expect(radios.first).to_be_visible()
    for radio in radios.all():
        box = radio.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        radio.check()
    expect(page.locator("table.criteria .mark-label").first).to_be_visible()
    page.get_by_role("group", name="Overall recommendation").get_by_label("Yes", exact=True).check()
    page.get_by_label("Notes (required to submit)").fill("Clear, structured answers.")
    screenshot(page, "phone-scorecard")
    page.get_by_role("button", name="Submit scorecard").click()
    expect(page.get_by_text("Scorecard submitted.")).to_be_visible()
    assert_no_page_scroll(page)


def test_member_opens_my_path_on_a_phone(phone, live_server):
    page = phone
    sign_in(page, live_server, "member@example.com")
    assert_no_page_scroll(page)
    go_to(page, "Career paths")
    page.get_by_role("navigation", name="Career paths").get_by_role("link", name="My path").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="My path")).to_have_attribute("aria-current", "page")
    assert_no_page_scroll(page)
    screenshot(page, "phone-my-path")


# --- every main page of every role at 390 px ----------------------------------------

# The pages reached from the menu, and the ones a link away from them: (the page to
# start from, the link to follow there, as a CSS selector: its first match).
PAGES = {
    "admin@example.com": [
        "/",
        "/hiring/requisitions",
        ("/hiring/requisitions", "main table a[href*='/hiring/requisitions/']"),
        "/hiring/candidates",
        ("/hiring/candidates", "main table a[href*='/hiring/candidates/']"),
        "/reports/",
        "/reports/funnel",
        "/reports/time-in-stage",
        "/reports/calibration",
        "/admin/users",
        ("/admin/users", "main table a[href*='/admin/users/']"),
        "/admin/users/new",
        "/admin/audit",
        "/admin/mail",
        "/admin/mail/templates",
        "/account",
        "/account/notifications",
    ],
    "recruiter@example.com": [
        "/",
        "/hiring/requisitions",
        "/hiring/requisitions/new",
        ("/hiring/requisitions", "main table a[href*='/hiring/requisitions/']"),
        ("/hiring/candidates", "main table a[href*='/hiring/applications/']"),
        "/hiring/candidates",
        "/referrals",
        "/reports/open-requisitions",
        "/reports/sources",
        "/reports/overdue-scorecards",
        "/jobs",
        ("/jobs", "main a[href^='/jobs/']"),
        "/account",
    ],
    "manager@example.com": [
        "/",
        "/hiring/requisitions",
        ("/hiring/requisitions", "main table a[href*='/hiring/requisitions/']"),
        "/hiring/my-interviews",
        ("/hiring/my-interviews", "main a[href$='/scorecard']"),
        ("/hiring/my-interviews", "main a[href$='/feedback']"),
        "/promotions/",
        ("/promotions/", "main table a[href*='/promotions/']"),
        "/careers/me",
        "/reports/quality-of-hire",
        "/account",
    ],
    "interviewer@example.com": [
        "/",
        "/hiring/my-interviews",
        ("/hiring/my-interviews", "main a[href$='/scorecard']"),
        ("/hiring/my-interviews", "main a[href$='/feedback']"),
        "/reports/calibration",
        "/careers/me",
        "/promotions/",
        "/referrals",
        "/account",
    ],
    "member@example.com": [
        "/",
        "/careers/",
        ("/careers/", "main a[href^='/careers/customer']"),
        "/careers/me",
        ("/careers/me", "main a[href*='/careers/levels/']"),
        "/careers/compare",
        "/careers/compare?from=csm&to=senior-csm",
        "/careers/search?q=customer",
        "/promotions/",
        "/referrals",
        "/referrals/new",
        "/account",
        "/account/mfa",
    ],
}


@pytest.mark.parametrize("email", list(PAGES))
def test_no_page_scrolls_sideways_on_a_phone(phone, live_server, email):
    page = phone
    sign_in(page, live_server, email)
    for entry in PAGES[email]:
        if isinstance(entry, tuple):
            start, link = entry
            page.goto(f"{live_server}{start}")
            href = page.locator(link).first.get_attribute("href")
            assert href, f"no link {link} on {start}"
            page.goto(f"{live_server}{href}")
        else:
            page.goto(f"{live_server}{entry}")
        assert page.locator("main h1").count() >= 1, page.url
        assert_no_page_scroll(page)
    # The folded menu opens, shows every entry and Sign out, and still fits.
    open_menu(page)
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_in_viewport()
    assert_no_page_scroll(page)
    screenshot(page, f"phone-menu-{email.split('@')[0]}")


# --- the keyboard alone -------------------------------------------------------------


def tab_to(page, predicate: str, limit: int = 400) -> None:
    """Press Tab until the focused element satisfies the JS ``predicate`` (of ``el``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
            return
    raise AssertionError(f"Tab never reached {predicate}")


def assert_focus_is_visible(page) -> None:
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth),"
        " shadow: s.boxShadow}; })()"
    )
    assert (style["outline"] != "none" and style["width"] >= 1) or style["shadow"] != "none", style


def test_the_board_and_the_scorecard_by_keyboard_alone(page, live_server):
    sign_in(page, live_server, "recruiter@example.com")
    add_candidate(page, "Ravi Okonkwo", "ravi.okonkwo@example.net")
    schedule_peer_interview(page)
    page.get_by_role("link", name=f"← {REQUISITION}").click()

    # The board: Tab to the candidate's Advance button (the board itself is a stop on the
    # way, so it can be scrolled with the arrow keys), Enter advances.
    page.locator("body").focus()
    tab_to(page, "el.getAttribute('role') === 'region'")
    assert_focus_is_visible(page)
    tab_to(
        page,
        "el.tagName === 'BUTTON' && el.textContent.trim() === 'Advance'"
        " && el.closest('article').textContent.includes('Ravi Okonkwo')",
    )
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Ravi Okonkwo moved to Written Assessment.")).to_be_visible()
    expect(card(column(page, "Written Assessment"), "Ravi Okonkwo")).to_have_count(1)
    # Decline is one Tab further, and leads to the application's decline form, open.
    tab_to(
        page,
        "el.tagName === 'A' && el.textContent.startsWith('Decline')"
        " && el.closest('article').textContent.includes('Ravi Okonkwo')",
    )
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/hiring/applications/\d+#decline-form-\d+"))
    expect(page.get_by_label("Reason")).to_be_visible()
    sign_out(page)

    # The scorecard: Tab into each criterion's group of radios, arrow keys pick the
    # rating, Space confirms it; the recommendation the same way; type the notes; Enter.
    sign_in(page, live_server, "interviewer@example.com")
    page.goto(f"{live_server}/hiring/my-interviews")
    page.get_by_role("row").filter(has_text="Ravi Okonkwo").get_by_role(
        "link", name="Fill in"
    ).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/scorecard")
    names = page.evaluate(
        "[...new Set([...document.querySelectorAll('table.criteria input[type=radio]')]"
        ".map(r => r.name))]"
    )
    assert names
    page.locator("body").focus()
    for name in names:
        tab_to(page, f"el.name === {name!r}")
        assert_focus_is_visible(page)
        # From the first rating (strong no), two steps on: yes.
        page.keyboard.press("Space")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.value") == "yes"
    tab_to(page, "el.name === 'recommendation'")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    tab_to(page, "el.id === 'notes'")
    page.keyboard.type("Thoughtful about trade-offs.")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Submit scorecard'")
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Scorecard submitted.")).to_be_visible()


# --- the whole board at 1280 px -----------------------------------------------------


def test_the_board_shows_every_column_at_1280(page, live_server):
    sign_in(page, live_server, "recruiter@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requisitions").click()
    page.get_by_role("link", name=BOARD_WITH_EVERY_STAGE).click()
    assert_no_page_scroll(page)
    board = page.get_by_role("region", name="Pipeline board")
    assert board.evaluate("b => b.scrollWidth <= b.clientWidth"), "the board scrolls"
    headings = page.locator("section.column h2")
    names = [re.sub(r"\s+\d+$", "", t.strip()) for t in headings.all_inner_texts()]
    for stage in ("Executive Interview", "Reference and Background Check", "Offer", "Hired"):
        assert stage in names, names
    for h in headings.all():
        box = h.bounding_box()
        assert box is not None and box["x"] + box["width"] <= DESKTOP["width"], box
    # No decline form squeezed into the cards: a link to the application's form.
    cards = page.locator("article.card-candidate")
    expect(cards.first).to_be_visible()
    expect(cards.locator("form[action$='/decline']")).to_have_count(0)
    expect(cards.first.get_by_role("link", name=re.compile("^Decline"))).to_be_visible()
    screenshot(page, "board-1280")
