"""The API against its own OpenAPI document, with requests schemathesis generates from it.

Every operation of /api/v1/openapi.json gets generated paths, queries and bodies, sent
with the token of a user who holds every role. Two checks: no answer is a 5xx, and every
answer matches what the document says of that status. The run is bounded and
reproducible (a fixed number of examples per operation, derandomized); ``make fuzz`` runs
it with many more examples (``HIRELADDER_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error, response_schema_conformance

from app.db import db
from app.models import Role, User
from app.services import api_tokens

#: Examples per operation; ``make fuzz`` sets many more.
EXAMPLES = int(os.environ.get("HIRELADDER_FUZZ_EXAMPLES", "12"))

EVERY_ROLE = (Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER)


@pytest.fixture
def all_roles_token(app, make_user) -> str:
    user_id = make_user("fuzz@example.org", EVERY_ROLE, name="Fuzz Everything")
    with app.app_context():
        user = db.session.get(User, user_id)
        _token, raw = api_tokens.issue(user, actor=None)
    return raw


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    for result in schema.get_all_operations():
        yield result.ok()


def test_no_generated_request_answers_5xx_or_off_the_document(
    app, all_roles_token, hiring_objects, promotion_objects
):
    headers = {"Authorization": f"Bearer {all_roles_token}"}
    checks = [not_a_server_error, response_schema_conformance]
    # Half the cases address objects that exist, so that bodies reach the services.
    known = {**hiring_objects, "packet_id": promotion_objects["draft_packet_id"]}
    seen = 0  # operations fuzzed
    statuses: dict[int, int] = {}
    for operation in operations(app):

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
            print_blob=True,
        )
        @given(case=operation.as_strategy(), existing=st.booleans())
        def fuzz(case, existing):
            if existing:
                for name in case.path_parameters or {}:
                    if name in known:
                        case.path_parameters[name] = known[name]
            response = case.call(headers=headers)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            case.validate_response(response, checks=checks, headers=headers)

        fuzz()
        seen += 1
    assert seen >= 20, "every operation of the document was fuzzed"
    assert statuses.get(200, 0) + statuses.get(201, 0) > 0, statuses
