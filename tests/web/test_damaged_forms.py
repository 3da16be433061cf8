"""A damaged or forged form never answers 500: every state-changing route, posted with a
version that is not a number (or too large for the database) by each role that may use
it, answers a 4xx or goes back to its page with a message."""

from __future__ import annotations

import pytest

from tests.conftest import login_as
from tests.web.test_permissions import MATRIX, Fixture

POSTS = sorted(key for key in MATRIX if key[0] == "POST")


@pytest.mark.parametrize(("method", "endpoint"), POSTS)
def test_a_damaged_version_never_answers_500(
    app, client, users, hiring_objects, promotion_objects, method, endpoint
):
    url = MATRIX[(method, endpoint)][0](
        Fixture(users=users, token_id=1, ids={**hiring_objects, **promotion_objects}, app=app)
    )
    for role in ("admin", "interviewer", "hiring_manager"):
        login_as(app, client, users[role])
        for version in ("abc", "99999999999"):
            response = client.post(url, data={"version": version, "action": "submit"})
            response.close()
            assert response.status_code < 500, (
                f"{role} POST {url} {version}: {response.status_code}"
            )


def test_the_scorecard_says_what_is_wrong_with_a_damaged_version(
    app, client, users, hiring_objects
):
    login_as(app, client, users["interviewer"])
    url = f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard"
    response = client.post(url, data={"version": "abc", "notes": "x"})
    assert response.status_code == 400
    assert b"reload the page" in response.data
