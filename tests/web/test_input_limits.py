"""Every free-text input has a length limit: the JSON bodies' fields, the web forms' text
fields, and a known limit for every unbounded (Text) column of the models."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import String, Text
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, Length

import app as app_package
from app.api.bodies import TEXT_KINDS, Body
from app.db import db
from app.hiring.forms import answers_form
from app.inputs import bad_character, json_text_problem, pairs_problem


def app_modules(suffix: str):
    for info in pkgutil.walk_packages(app_package.__path__, "app."):
        if info.name.endswith(suffix):
            yield importlib.import_module(info.name)


def bodies():
    for module in app_modules(".bodies"):
        for name, value in vars(module).items():
            if isinstance(value, Body):
                yield f"{module.__name__}.{name}", value


def test_every_text_field_of_every_body_has_a_limit():
    unbounded = [
        f"{where}.{field.name}"
        for where, body in bodies()
        for field in body.fields
        if field.kind in TEXT_KINDS and field.max_length is None and field.choices is None
    ]
    assert list(bodies()), "the bodies were found"
    assert unbounded == []


def form_classes():
    seen: set[type] = set()
    for module in app_modules(".forms"):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, FlaskForm) and value not in seen:
                seen.add(value)
                yield value


def unbounded_text_fields(form: FlaskForm) -> list[str]:
    found = []
    for field in form:
        if not isinstance(field, StringField | PasswordField) or field.type in (
            "HiddenField",
            "CSRFTokenField",
        ):
            continue
        limited = any(
            isinstance(v, Length) and v.max is not None and v.max >= 0 for v in field.validators
        ) or any(isinstance(v, EqualTo) for v in field.validators)
        if not limited:
            found.append(f"{type(form).__name__}.{field.name}")
    return found


def test_every_text_field_of_every_form_has_a_limit(app):
    with app.test_request_context():
        forms = [cls(meta={"csrf": False}) for cls in form_classes()]
        forms.append(answers_form(3))
        assert len(forms) > 10
        unbounded = [name for form in forms for name in unbounded_text_fields(form)]
    assert unbounded == []


#: Unbounded (Text) columns and where their input is limited. A new Text column fails the
#: test below until its limit is written down here (and enforced there).
TEXT_COLUMN_LIMITS = {
    "applications.decline_note": "hiring bodies DECLINE.note / DeclineForm.note (2,000)",
    "scorecards.notes": "pipelines.scorecards.MAX_NOTES (20,000), drafts included",
    "scorecard_amendments.text": "AmendForm.text (5,000)",
    "stage_transitions.reason": "override and withdraw reasons (2,000)",
    "stage_transitions.note": "the decline note (2,000)",
    "promotion_packets.decision_comment": "pipelines.promotions.MAX_TEXT (20,000)",
    "promotion_sections.heading": "copied from the ladder data, not user input",
    "promotion_sections.description": "copied from the ladder data, not user input",
    "promotion_sections.evidence": "pipelines.promotions.MAX_TEXT (20,000)",
    "outbox_messages.text_body": "rendered from templates/mail; what people type into a "
    "message is limited by its form (the decline message)",
    "outbox_messages.html_body": "the same message as HTML",
    "outbox_messages.last_error": "cut to 2,000 characters (app.services.outbox.mark_failed)",
    "job_runs.outcome": "cut to 2,000 characters (app.services.jobs.finish)",
    "applications.candidate_note": "5,000 characters (the careers site's apply form)",
    "applications.referral_note": "5,000 characters (the referral form and API)",
    "candidates.notes": "10,000 characters (the candidate form and API)",
    "candidates.cv_text": "cut to 200,000 characters when extracted from the CV",
    "candidates.search_text": "at most 200,000 characters (pipelines.search.MAX_DOCUMENT)",
    "requisitions.posting_intro": "5,000 characters (the posting form and API)",
    "hiring_decisions.rationale": "pipelines.leveling.MAX_RATIONALE (20,000)",
    "offers.compensation_note": "5,000 characters (the offer form and API)",
    "offers.response_note": "2,000 characters (the offer answer form and API)",
    "level_history.note": "2,000 characters (the approval and admin level forms)",
}


def test_every_text_column_has_a_known_limit(app):
    found = set()
    unbounded_strings = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            name = f"{table.name}.{column.name}"
            if isinstance(column.type, Text):
                found.add(name)
            elif isinstance(column.type, String) and column.type.length is None:
                unbounded_strings.append(name)
    assert sorted(found - set(TEXT_COLUMN_LIMITS)) == [], "a Text column with no known limit"
    assert sorted(set(TEXT_COLUMN_LIMITS) - found) == [], "a listed column is gone"
    assert unbounded_strings == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("plain", None),
        ("ünïcödé 🚀", None),
        ("a\x00b", "NUL"),
        ("a\ud800", "U+D800"),
        ("\udfff", "U+DFFF"),
    ],
)
def test_bad_characters(text, problem):
    found = bad_character(text)
    assert (found is None) if problem is None else (problem in found)


def test_json_text_problems_are_found_at_any_depth_with_their_pointer():
    assert json_text_problem({"a": [1, {"b": "ok"}]}) is None
    assert json_text_problem({"a": [1, {"b/c": "x\x00"}]})[0] == "/a/1/b~1c"
    pointer, problem = json_text_problem({"k\ud800": 1})
    assert pointer == "/k\\ud800"
    assert problem.startswith("the key")
    deep: list = []
    node = deep
    for _ in range(5000):
        node.append([])
        node = node[0]
    node.append("\x00")
    assert json_text_problem({"d": deep})[0].endswith("/0")


def test_pairs_problem_names_the_field():
    assert pairs_problem([("q", "ok")]) is None
    assert pairs_problem([("q", "ok"), ("role", "\x00")])[0] == "role"
