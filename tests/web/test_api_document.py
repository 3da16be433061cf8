"""The OpenAPI document is a contract: what /api/v1/openapi.json serves is the reviewed copy.

``tests/fixtures/openapi_v1.json`` is the document as published. A change to the API
changes the document; update the fixture in the same commit, deliberately:

    .venv/bin/python -c "import json; from app.api.openapi import DOCUMENT; \
print(json.dumps(DOCUMENT, indent=2, sort_keys=True, ensure_ascii=False))" \
        > tests/fixtures/openapi_v1.json
"""

from __future__ import annotations

import json
from pathlib import Path

from app.api.openapi import DOCUMENT

PUBLISHED = Path(__file__).resolve().parents[1] / "fixtures" / "openapi_v1.json"


def differences(expected: object, actual: object, where: str = "$") -> list[str]:
    """Where two JSON values differ, as paths (so a failure says what moved)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = [f"{where}.{key}: missing" for key in expected if key not in actual]
        out += [
            f"{where}.{key}: not in the published document" for key in actual if key not in expected
        ]
        for key in expected.keys() & actual.keys():
            out += differences(expected[key], actual[key], f"{where}.{key}")
        return out
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [
            problem
            for index, (a, b) in enumerate(zip(expected, actual, strict=True))
            for problem in differences(a, b, f"{where}[{index}]")
        ]
    return [] if expected == actual else [f"{where}: {expected!r} became {actual!r}"]


def test_the_served_document_is_the_published_one(client):
    published = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    served = client.get("/api/v1/openapi.json").json
    assert differences(published, served) == []


def test_the_document_module_and_the_served_document_agree(client):
    assert json.loads(json.dumps(DOCUMENT)) == client.get("/api/v1/openapi.json").json


def test_a_difference_is_reported_by_its_path():
    published = {"paths": {"/a": {"get": {"summary": "A"}}}, "tags": [{"name": "x"}]}
    changed = {"paths": {"/a": {"get": {"summary": "B"}}, "/b": {}}, "tags": [{"name": "y"}]}
    assert sorted(differences(published, changed)) == [
        "$.paths./a.get.summary: 'A' became 'B'",
        "$.paths./b: not in the published document",
        "$.tags[0].name: 'x' became 'y'",
    ]
