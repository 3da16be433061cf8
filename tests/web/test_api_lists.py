"""The API's lists that page by cursor, newest first: requisitions, promotion packets and
applications. Each page costs the same few queries whatever the data and however deep
the page; following ``next`` reaches every row once with the same filters; a damaged
position answers 422. The applications list answers what each application's own page
would: everything to recruiters and admins, a hiring manager's own requisitions' to them.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.api.openapi import DOCUMENT
from app.db import db
from app.hiring.application_api import LIST_PARAMETERS
from app.models import Application, AuditEvent, Role, User
from app.services import hiring
from tests.web.test_api_hiring import API, add_requisitions, bearer, call
from tests.web.test_api_promotions import _add_packets


@pytest.fixture
def tokens(app, users) -> dict[str, dict[str, str]]:
    return {role: bearer(app, user_id) for role, user_id in users.items()}


def add_applications(app, users, count, prefix, *, manager=None) -> int:
    """A requisition (hiring manager: ``manager``, else the fixtures' one) with ``count``
    applications; its id."""
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        requisition = hiring.create_requisition(
            title=f"{prefix} requisition",
            level_id="csm",
            specialty_id=None,
            hiring_manager=db.session.get(User, manager or users["hiring_manager"]),
            recruiter=recruiter,
            headcount=1,
            actor=recruiter,
        )
        for i in range(count):
            candidate = hiring.add_candidate(
                hiring.CandidateDetails(name=f"{prefix} {i}", email=f"{prefix}{i}@example.org"),
                actor=recruiter,
            )
            hiring.open_application(candidate, requisition, actor=recruiter)
        return requisition.id


def walk(client, headers, path, count_queries=None):
    """Every item reached by following ``next`` from ``path``, and each page's cost."""
    items, costs, url = [], [], f"{API}{path}"
    while url is not None:
        if count_queries is None:
            response = client.get(url, headers=headers)
        else:
            with count_queries() as counted:
                response = client.get(url, headers=headers)
            costs.append(counted.count)
        assert response.status_code == 200, response.json
        items += response.json["items"]
        url = response.json["next"]
        assert len(costs) < 100, "the pages end"
    return items, costs


def _requisitions(app, users, make_user, count, prefix):
    add_requisitions(app, users, count, prefix)


def _packets(app, users, make_user, count, prefix):
    _add_packets(app, users, make_user, count, prefix)


def _applications(app, users, make_user, count, prefix):
    add_applications(app, users, count, prefix)


LISTS = [
    ("/requisitions", _requisitions, "hiring_manager"),
    ("/requisitions", _requisitions, "recruiter"),
    ("/promotions", _packets, "hiring_manager"),
    ("/promotions", _packets, "admin"),
    ("/applications", _applications, "hiring_manager"),
    ("/applications", _applications, "recruiter"),
]


@pytest.mark.parametrize(("path", "add", "role"), LISTS)
def test_every_page_costs_the_same_at_any_size_and_depth(
    app, client, users, tokens, make_user, count_queries, path, add, role
):
    headers = tokens[role]
    assert call(client, "GET", path, headers).status_code == 200  # the token's first use
    add(app, users, make_user, 3, "small")
    small, small_costs = walk(client, headers, f"{path}?per_page=2", count_queries)
    add(app, users, make_user, 40, "large")
    large, large_costs = walk(client, headers, f"{path}?per_page=2", count_queries)
    assert (len(small), len(large)) == (3, 43)
    assert len(large_costs) == 22
    # The first page, a page 21 deep and the last one: the same queries as with 3 rows.
    assert set(small_costs) == set(large_costs) == {small_costs[0]}, (small_costs, large_costs)


@pytest.mark.parametrize(
    ("path", "add", "moment"),
    [
        ("/requisitions", _requisitions, "created_at"),
        ("/promotions", _packets, "updated_at"),
        ("/applications", _applications, "created_at"),
    ],
)
def test_following_next_reaches_every_row_once_newest_first(
    app, client, users, tokens, make_user, path, add, moment
):
    add(app, users, make_user, 7, "row")
    everything = call(client, "GET", f"{path}?per_page=100", tokens["admin"]).json
    assert everything["next"] is None
    paged, _costs = walk(client, tokens["admin"], f"{path}?per_page=3")
    assert [i["id"] for i in paged] == [i["id"] for i in everything["items"]]
    assert len({i["id"] for i in paged}) == len(paged) >= 7
    keys = [(i[moment], i["id"]) for i in paged]
    assert keys == sorted(keys, reverse=True)


@pytest.mark.parametrize("path", ["/requisitions", "/promotions", "/applications"])
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("after=42", "after"),
        ("after=20261301000000000000-5", "after"),  # no 13th month
        ("after=20261201000000000000-99999999999", "after"),
        ("after=20261201000000000000-5x", "after"),
        ("page=2", "page"),
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
    ],
)
def test_a_damaged_position_or_page_size_answers_422_naming_it(client, tokens, path, query, field):
    response = call(client, "GET", f"{path}?{query}", tokens["admin"])
    assert response.status_code == 422, response.json
    assert list(response.json["error"]["fields"]) == [field]


# --- applications ---------------------------------------------------------------------


def test_the_filters_go_on_in_next(app, client, users, tokens):
    requisition_id = add_applications(app, users, 5, "kept")
    add_applications(app, users, 3, "other")
    with app.app_context():
        stage = db.session.scalar(
            select(Application.stage_id).where(Application.requisition_id == requisition_id)
        )
    path = f"/applications?requisition_id={requisition_id}&stage={stage}&status=active&per_page=2"
    first = call(client, "GET", path, tokens["recruiter"]).json
    query = parse_qs(urlsplit(first["next"]).query)
    assert {k: v for k, v in query.items() if k != "after"} == {
        "requisition_id": [str(requisition_id)],
        "stage": [stage],
        "status": ["active"],
        "per_page": ["2"],
    }
    items, _costs = walk(client, tokens["recruiter"], path)
    assert len(items) == 5
    assert {(i["requisition"]["id"], i["stage"]["id"], i["status"]) for i in items} == {
        (requisition_id, stage, "active")
    }
    hired = f"/applications?requisition_id={requisition_id}&status=hired"
    assert call(client, "GET", hired, tokens["recruiter"]).json == {
        "items": [],
        "per_page": 20,
        "next": None,
    }


def test_an_item_is_a_summary_of_the_application(app, client, users, tokens, hiring_objects):
    [item] = call(client, "GET", "/applications", tokens["recruiter"]).json["items"]
    assert item == {
        "id": hiring_objects["application_id"],
        "candidate": {
            "id": hiring_objects["candidate_id"],
            "name": "Casey Candidate",
            "email": "casey@example.org",
        },
        "requisition": {"id": hiring_objects["requisition_id"], "title": "Senior CSM, EMEA"},
        "stage": {"id": "recruiter-screening", "name": "Recruiter Screening"},
        "status": "active",
        "source": "sourced",
        "created_at": item["created_at"],
        "entered_stage_at": item["entered_stage_at"],
        "version": item["version"],
    }
    detail = call(client, "GET", f"/applications/{item['id']}", tokens["recruiter"]).json
    assert detail["version"] == item["version"]
    assert detail["stage"]["id"] == item["stage"]["id"]


def test_hiring_managers_see_only_their_requisitions_applications(
    app, client, users, tokens, make_user
):
    other = make_user("hm2@example.org", (Role.HIRING_MANAGER,))
    mine = add_applications(app, users, 2, "mine")
    theirs = add_applications(app, users, 3, "theirs", manager=other)

    def requisitions_seen(headers, query=""):
        items = call(client, "GET", f"/applications?{query}", headers).json["items"]
        return sorted(i["requisition"]["id"] for i in items)

    assert requisitions_seen(tokens["hiring_manager"]) == [mine, mine]
    assert requisitions_seen(bearer(app, other)) == [theirs] * 3
    assert requisitions_seen(tokens["hiring_manager"], f"requisition_id={theirs}") == []
    assert requisitions_seen(tokens["recruiter"]) == [mine] * 2 + [theirs] * 3
    assert requisitions_seen(tokens["admin"]) == [mine] * 2 + [theirs] * 3
    for role in ("interviewer", "team_member"):
        assert call(client, "GET", "/applications", tokens[role]).status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("requisition_id=abc", "requisition_id"),
        ("requisition_id=0", "requisition_id"),
        ("requisition_id=99999999999", "requisition_id"),
        ("status=pending", "status"),
        (f"stage={'s' * 101}", "stage"),
    ],
)
def test_a_bad_filter_answers_422_naming_it(client, tokens, query, field):
    response = call(client, "GET", f"/applications?{query}", tokens["recruiter"])
    assert response.status_code == 422
    assert list(response.json["error"]["fields"]) == [field]


def test_reading_the_list_is_audited_by_ids(app, client, users, tokens, hiring_objects):
    add_applications(app, users, 2, "more")
    headers = tokens["hiring_manager"]
    body = call(client, "GET", "/applications?per_page=2", headers).json
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (event.action, event.channel, event.actor_id, event.object_type) == (
            "candidate.list",
            "api",
            users["hiring_manager"],
            "application",
        )
        assert event.summary == {
            "ids": [i["id"] for i in body["items"]],
            "candidate_ids": [i["candidate"]["id"] for i in body["items"]],
            "count": 2,
            "filtered": False,
        }


def test_the_document_lists_the_parameters_the_view_reads():
    operation = DOCUMENT["paths"]["/applications"]["get"]
    assert tuple(p["name"] for p in operation["parameters"]) == LIST_PARAMETERS
