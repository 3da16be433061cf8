"""GET /api/v1/interviews: the caller's own interviews, one section at a time, by cursor;
the same queries as the web page's sections."""

from __future__ import annotations

import pytest

from app.hiring import application_api
from pipelines.my_interviews import Section
from tests.conftest import login_as
from tests.web.my_interviews_data import NOW, add_interviews


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(application_api, "utcnow", lambda: NOW)


def every_page(client, url: str) -> list[dict]:
    items: list[dict] = []
    while url is not None:
        response = client.get(url)
        assert response.status_code == 200, response.json
        items += response.json["items"]
        url = response.json["next"]
    return items


def test_each_section_pages_to_every_interview_once(app, client, users, hiring_objects, frozen):
    made = add_interviews(app, users, hiring_objects["requisition_id"], "team_member", 30)
    add_interviews(app, users, hiring_objects["requisition_id"], "interviewer", 8, tag="x")
    login_as(app, client, users["team_member"])
    for section in Section:
        items = every_page(client, f"/api/v1/interviews?section={section.value}&per_page=3")
        ids = [item["id"] for item in items]
        assert sorted(ids) == sorted(made[section]), section
        assert len(ids) == len(set(ids))
        assert {item["section"] for item in items} == {section.value}
    # Without ?section=: the scorecards to write, oldest interview first.
    first = client.get("/api/v1/interviews?per_page=2").json
    assert first["per_page"] == 2
    assert first["next"].startswith("/api/v1/interviews?section=to_score&after=")
    assert [i["id"] for i in first["items"]] == [
        i["id"] for i in every_page(client, "/api/v1/interviews?section=to_score")[:2]
    ]


def test_an_item_says_where_the_callers_scorecard_stands(
    app, client, users, hiring_objects, frozen
):
    login_as(app, client, users["interviewer"])
    (item,) = client.get("/api/v1/interviews").json["items"]
    assert item["id"] == hiring_objects["interview_id"]
    assert item["candidate"]["name"] == "Casey Candidate"
    assert item["requisition"]["title"] == "Senior CSM, EMEA"
    assert item["stage"]["id"] == "peer-interview"
    assert item["interviewer_ids"] == [users["interviewer"]]
    assert item["scheduled_at"] in ("2026-12-01T15:00:00+00:00", "2026-12-01T15:00:00Z")
    # Tuesday 15:00 + 45 min, due Wednesday 15:45: overdue on Thursday noon.
    assert item["overdue"] is True
    assert item["my_scorecard"] is None
    submitted = add_interviews(app, users, hiring_objects["requisition_id"], "interviewer", 3)
    (card,) = client.get("/api/v1/interviews?section=submitted").json["items"]
    assert card["id"] == submitted[Section.SUBMITTED][0]
    assert card["my_scorecard"]["submitted"] is True
    assert card["overdue"] is False


def test_another_persons_interviews_never_appear(app, client, users, hiring_objects, frozen):
    add_interviews(app, users, hiring_objects["requisition_id"], "interviewer", 12)
    login_as(app, client, users["team_member"])
    for section in Section:
        assert client.get(f"/api/v1/interviews?section={section.value}").json == {
            "items": [],
            "per_page": 20,
            "next": None,
        }


def test_the_query_count_does_not_grow_with_the_interviews(
    app, client, users, hiring_objects, frozen, count_queries
):
    # One of each section (an empty page skips loading the interviewers: one query less).
    add_interviews(app, users, hiring_objects["requisition_id"], "team_member", 4)
    login_as(app, client, users["team_member"])
    small, large = {}, {}
    url = "/api/v1/interviews?per_page=5&section="
    for section in Section:
        with count_queries() as q:
            assert client.get(url + section.value).json["items"]
        small[section] = q.count
    add_interviews(app, users, hiring_objects["requisition_id"], "team_member", 56, tag="b")
    for section in Section:
        with count_queries() as q:
            assert client.get(url + section.value).json["next"]
        large[section] = q.count
    assert large == small


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("section=soon", {"section": ["One of: to_score, upcoming, submitted, cancelled."]}),
        (
            "after=42",
            {"after": ["Not a list position: follow the 'next' address of the previous page."]},
        ),
        ("per_page=0", {"per_page": ["Expected a whole number between 1 and 100."]}),
        ("per_page=101", {"per_page": ["Expected a whole number between 1 and 100."]}),
        (
            "section=x&per_page=abc",
            {
                "section": ["One of: to_score, upcoming, submitted, cancelled."],
                "per_page": ["Expected a whole number between 1 and 100."],
            },
        ),
    ],
)
def test_bad_parameters_answer_422_naming_each(app, client, users, query, fields):
    login_as(app, client, users["interviewer"])
    response = client.get(f"/api/v1/interviews?{query}")
    assert response.status_code == 422
    assert response.json["error"]["fields"] == fields


def test_signed_out_is_401(client):
    assert client.get("/api/v1/interviews").status_code == 401
