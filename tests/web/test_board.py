"""The pipeline board stays small however many applications a stage holds: each column
shows its first cards (longest or newest in stage first) with its count, a filter by name
and "show more", page by page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from app.db import db
from app.models import Application, Requisition, User
from app.services import hiring
from pipelines.applications import ApplicationStatus
from tests.conftest import login_as

START = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
SCREEN = "recruiter-screening"


@pytest.fixture(autouse=True)
def twenty_per_column(app, monkeypatch):
    monkeypatch.setitem(app.config, "BOARD_CARDS_PER_COLUMN", 20)


@pytest.fixture
def requisition(app, users) -> int:
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        req = hiring.create_requisition(
            title="Big board",
            level_id="csm",
            specialty_id=None,
            hiring_manager=db.session.get(User, users["hiring_manager"]),
            recruiter=recruiter,
            headcount=1,
            actor=recruiter,
        )
        return req.id


def add(app, users, requisition: int, count: int, prefix: str, *, first: int = 0) -> list[int]:
    """``count`` applications at the screen, named ``{prefix}{n:03}``; the n-th entered the
    stage n hours after START (so the lowest numbers waited longest)."""
    ids = []
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        req = db.session.get(Requisition, requisition)
        for n in range(first, first + count):
            candidate = hiring.add_candidate(
                hiring.CandidateDetails(name=f"{prefix}{n:03}", email=f"{prefix}{n}@example.org"),
                actor=recruiter,
            )
            application = hiring.open_application(candidate, req, actor=recruiter)
            db.session.execute(
                update(Application)
                .where(Application.id == application.id)
                .values(entered_stage_at=START + timedelta(hours=n))
            )
            ids.append(application.id)
        db.session.commit()
    return ids


def names_in(html: str, column: str) -> list[str]:
    section = html.split(f'id="col-{column}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<h3 id="card-\d+"><a href="[^"]+">([^<]+)</a>', section)


def next_link(html: str, column: str) -> str | None:
    section = html.split(f'id="col-{column}"', 1)[1].split("</section>", 1)[0]
    found = re.search(r'<a rel="next" href="([^"]+)"', section)
    return found[1].replace("&amp;", "&") if found else None


def test_a_column_shows_its_first_cards_its_count_and_more_page_by_page(
    app, client, users, requisition
):
    add(app, users, requisition, 45, "Cand")
    login_as(app, client, users["recruiter"])
    page = client.get(f"/hiring/requisitions/{requisition}").text
    assert names_in(page, SCREEN) == [f"Cand{n:03}" for n in range(20)]  # longest waiting first
    assert f'id="col-{SCREEN}">Recruiter Screening <span class="count">45</span>' in page
    seen = names_in(page, SCREEN)
    link = next_link(page, SCREEN)
    while link is not None:
        page = client.get(link).text
        seen += names_in(page, SCREEN)
        link = next_link(page, SCREEN)
    assert seen == [f"Cand{n:03}" for n in range(45)]
    assert "Back to the first cards" in page


def test_newest_in_stage_first_when_the_recruiter_asks(app, client, users, requisition):
    add(app, users, requisition, 25, "Cand")
    login_as(app, client, users["recruiter"])
    page = client.get(f"/hiring/requisitions/{requisition}?order=newest").text
    assert names_in(page, SCREEN) == [f"Cand{n:03}" for n in range(24, 4, -1)]
    second = client.get(next_link(page, SCREEN)).text
    assert names_in(second, SCREEN) == [f"Cand{n:03}" for n in range(4, -1, -1)]
    assert '<strong aria-current="true">newest in stage first</strong>' in page


def test_a_column_filters_by_name(app, client, users, requisition):
    add(app, users, requisition, 30, "Cand")
    add(app, users, requisition, 3, "Zed", first=30)
    login_as(app, client, users["recruiter"])
    board = f"/hiring/requisitions/{requisition}"
    assert "Find in Recruiter Screening" in client.get(board).text
    page = client.get(f"{board}?stage={SCREEN}&q=zed").text
    assert names_in(page, SCREEN) == ["Zed030", "Zed031", "Zed032"]
    assert next_link(page, SCREEN) is None
    # No words: nothing matches (a "%" is no wildcard).
    assert names_in(client.get(f"{board}?stage={SCREEN}&q=%25").text, SCREEN) == []
    assert "No candidates match “nobody”" in client.get(f"{board}?stage={SCREEN}&q=nobody").text


def test_the_filter_folds_accents_and_case_on_either_database(app, client, users, requisition):
    add(app, users, requisition, 2, "Cand")
    add(app, users, requisition, 1, "Élodie", first=2)
    login_as(app, client, users["recruiter"])
    board = f"/hiring/requisitions/{requisition}?stage={SCREEN}&q="
    for typed in ("Élodie", "élodie", "ÉLODIE", "elodie"):
        assert names_in(client.get(board + typed).text, SCREEN) == ["Élodie002"], typed


def test_an_application_at_a_stage_the_plan_no_longer_has_is_listed_closed(
    app, client, users, requisition
):
    [gone, *_] = add(app, users, requisition, 2, "Cand")
    with app.app_context():
        db.session.execute(
            update(Application).where(Application.id == gone).values(stage_id="no-such-stage")
        )
        db.session.commit()
    login_as(app, client, users["recruiter"])
    page = client.get(f"/hiring/requisitions/{requisition}")
    assert page.status_code == 200
    closed = page.text.split('id="col-_closed"', 1)[1]
    assert "Cand000" in closed and "no-such-stage" in closed
    assert names_in(page.text, SCREEN) == ["Cand001"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "order=sideways",
            "The board&#39;s order (?order=) is &#39;oldest&#39; or &#39;newest&#39;.",
        ),
        ("stage=nowhere", "This requisition&#39;s board has no column &#39;nowhere&#39; (?stage=)"),
        (
            f"stage={SCREEN}&after=yesterday",
            "The list position in the address (?after=) is damaged",
        ),
    ],
)
def test_a_wrong_address_says_which_part(app, client, users, requisition, query, message):
    login_as(app, client, users["recruiter"])
    response = client.get(f"/hiring/requisitions/{requisition}?{query}")
    assert response.status_code == 400
    assert message in response.text


def test_the_page_does_not_grow_with_the_stage(app, client, users, requisition, count_queries):
    add(app, users, requisition, 21, "Cand")
    login_as(app, client, users["recruiter"])
    board = f"/hiring/requisitions/{requisition}"
    with count_queries() as few:
        small = client.get(board)
    add(app, users, requisition, 120, "More", first=21)
    with count_queries() as many:
        large = client.get(board)
    assert large.status_code == 200
    assert many.count == few.count, many.statements
    # Only the count's digits change.
    assert abs(len(large.data) - len(small.data)) < 40


def test_closed_applications_are_bounded_and_newest_first(app, client, users, requisition):
    ids = add(app, users, requisition, 23, "Gone")
    with app.app_context():
        db.session.execute(
            update(Application)
            .where(Application.id.in_(ids))
            .values(status=ApplicationStatus.WITHDRAWN)
        )
        db.session.commit()
    login_as(app, client, users["recruiter"])
    page = client.get(f"/hiring/requisitions/{requisition}").text
    closed = page.split('id="col-_closed"', 1)[1]
    assert '<span class="count">23</span>' in closed
    shown = re.findall(r"<td><a href=\"[^\"]+\">(Gone\d+)</a></td>", closed)
    assert shown == [f"Gone{n:03}" for n in range(22, 2, -1)]
    assert 'rel="next"' in closed
