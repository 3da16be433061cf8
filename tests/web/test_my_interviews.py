"""My interviews: four bounded sections with their counts, each paged by cursor, the
upcoming ones and the scorecards to write grouped by day on the viewer's clock; the same
few queries whatever the number of interviews."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.db import db
from app.hiring import interview_pages
from app.hiring import my_interview_queries as mine
from app.models import Interview, InterviewInterviewer, User
from pipelines.my_interviews import Section
from tests.conftest import login_as
from tests.web.my_interviews_data import NOW, add_interviews

ROW = re.compile(r'<tr data-interview="(\d+)"')
MORE = re.compile(r'<a rel="next" href="([^"]+)#section-(\w+)"')


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(interview_pages, "utcnow", lambda: NOW)


def section_html(html: str, section: Section) -> str:
    start = html.index(f'id="section-{section.value}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


def shown_ids(html: str, section: Section) -> list[int]:
    return [int(i) for i in ROW.findall(section_html(html, section))]


def more_link(html: str, section: Section) -> str | None:
    for href, name in MORE.findall(html):
        if name == section.value:
            return href.replace("&amp;", "&")
    return None


def test_the_query_count_does_not_grow_with_the_interviews(
    app, client, users, hiring_objects, frozen, count_queries
):
    add_interviews(app, users, hiring_objects["requisition_id"], "team_member", 3)
    login_as(app, client, users["team_member"])
    with count_queries() as small:
        assert client.get("/hiring/my-interviews").status_code == 200
    add_interviews(app, users, hiring_objects["requisition_id"], "team_member", 57, tag="b")
    with count_queries() as large:
        response = client.get("/hiring/my-interviews")
    assert response.status_code == 200
    html = response.text
    per_page = app.config["MY_INTERVIEWS_PER_SECTION"]
    for section in Section:
        assert 0 < len(shown_ids(html, section)) <= per_page
    assert large.count == small.count, large.statements
    # Bounded sections: the page stays small however many interviews there are.
    assert len(response.data) < 300_000


def test_each_section_counts_and_pages_to_every_interview_once(
    app, client, users, hiring_objects, frozen, monkeypatch
):
    made = add_interviews(app, users, hiring_objects["requisition_id"], "team_member", 30)
    monkeypatch.setitem(app.config, "MY_INTERVIEWS_PER_SECTION", 3)
    login_as(app, client, users["team_member"])
    first = client.get("/hiring/my-interviews").text
    for section in Section:
        assert (
            f'id="section-{section.value}">{section.heading} <span class="count">'
            f"{len(made[section])}</span>" in first
        )
        seen = shown_ids(first, section)
        link = more_link(first, section)
        while link is not None:
            page = client.get(link)
            assert page.status_code == 200
            seen += shown_ids(page.text, section)
            link = more_link(page.text, section)
        assert sorted(seen) == sorted(made[section]), section
        assert len(seen) == len(set(seen))


def test_each_section_comes_in_its_order(app, client, users, hiring_objects, frozen):
    add_interviews(app, users, hiring_objects["requisition_id"], "team_member", 16)
    login_as(app, client, users["team_member"])
    html = client.get("/hiring/my-interviews").text
    with app.app_context():
        rows = {
            iv.id: iv
            for iv in db.session.query(Interview)
            .join(InterviewInterviewer)
            .filter(InterviewInterviewer.user_id == users["team_member"])
        }
    never = datetime.max.replace(tzinfo=UTC)
    upcoming = [rows[i].starts_at for i in shown_ids(html, Section.UPCOMING)]
    assert upcoming == sorted(upcoming)  # soonest first
    to_write = [rows[i].starts_at or never for i in shown_ids(html, Section.TO_SCORE)]
    assert to_write == sorted(to_write)  # the oldest (most overdue) first, unscheduled last
    assert to_write[-1] == never
    cancelled = [rows[i].cancelled_at for i in shown_ids(html, Section.CANCELLED)]
    assert cancelled == sorted(cancelled, reverse=True)
    # Every scorecard to write whose interview is over by more than a working day is late.
    assert "overdue" in section_html(html, Section.TO_SCORE)
    assert "overdue" not in section_html(html, Section.UPCOMING)


def test_days_are_the_viewers_days(app, client, users, hiring_objects, frozen):
    with app.app_context():
        user = db.session.get(User, users["interviewer"])
        user.timezone = "Asia/Tokyo"
        db.session.commit()
    login_as(app, client, users["interviewer"])
    # The fixture's interview: Tuesday 1 December 2026, 15:00 UTC = Wednesday 00:00 in
    # Tokyo. A second one at 14:00 UTC the same UTC day is still Tuesday there.
    made = add_interviews(app, users, hiring_objects["requisition_id"], "interviewer", 1)
    interview_id = made[Section.TO_SCORE][0]
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        interview.starts_at = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
        db.session.commit()
    html = section_html(client.get("/hiring/my-interviews").text, Section.TO_SCORE)
    tuesday = html.index('<h3 id="day-to_score-1">Tuesday 1 December 2026</h3>')
    wednesday = html.index('<h3 id="day-to_score-2">Wednesday 2 December 2026</h3>')
    assert tuesday < html.index(f'data-interview="{interview_id}"') < wednesday
    assert wednesday < html.index(f'data-interview="{hiring_objects["interview_id"]}"')
    assert 'aria-labelledby="day-to_score-2"' in html
    assert "Wed 2 Dec 2026, 00:00 JST" in html


def test_another_persons_interviews_never_appear(app, client, users, hiring_objects, frozen):
    mine = add_interviews(app, users, hiring_objects["requisition_id"], "team_member", 8)
    theirs = add_interviews(app, users, hiring_objects["requisition_id"], "interviewer", 8, tag="x")
    login_as(app, client, users["team_member"])
    html = client.get("/hiring/my-interviews").text
    shown = {i for s in Section for i in shown_ids(html, s)}
    assert shown == {i for ids in mine.values() for i in ids}
    assert not shown & {i for ids in theirs.values() for i in ids}
    assert "Casey Candidate" not in html
    for section in Section:
        assert f'<span class="count">{len(mine[section])}</span>' in section_html(html, section)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("section=soon", "My interviews has no section &#39;soon&#39; (?section=)"),
        ("section=upcoming&after=yesterday", "The list position in the address (?after=)"),
        ("after=20261203120000000000-1", "needs its section (?section=)"),
    ],
)
def test_a_damaged_address_says_what_is_wrong(app, client, users, query, message):
    login_as(app, client, users["interviewer"])
    response = client.get(f"/hiring/my-interviews?{query}")
    assert response.status_code == 400
    assert message in response.text


def test_long_histories_are_counted_up_to_a_cap(
    app, client, users, hiring_objects, frozen, monkeypatch
):
    # Submitted and cancelled interviews pile up for ever: their counts stop at the cap
    # (the page says "more than" it); the sections still to do are counted exactly.
    made = add_interviews(app, users, hiring_objects["requisition_id"], "team_member", 30)
    monkeypatch.setattr(mine, "COUNT_CAP", 2)
    login_as(app, client, users["team_member"])
    html = client.get("/hiring/my-interviews").text
    for section in Section:
        count = len(made[section])
        assert count > 2, section
        label = count if section in (Section.TO_SCORE, Section.UPCOMING) else "more than 2"
        assert f'{section.heading} <span class="count">{label}</span>' in html, re.findall(
            r'class="count">[^<]*', html
        )
