"""Statuses, kinds and reasons are the domain's enums in the code and in the database alike.

Every column that stores an enum reads back the enum member, refuses a value the enum does
not have before the database is asked, and is guarded by a CHECK constraint that lists
exactly the enum's values, in the models and in the database the migrations built.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from app.db import db
from app.models import Application, Requisition
from app.models.columns import EnumText
from pipelines.applications import ApplicationStatus, DeclineReason
from pipelines.requisitions import RequisitionStatus


def enum_columns():
    return [
        (table, column)
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EnumText)
    ]


def values_in(check: str, column: str) -> set[str] | None:
    """The values a CHECK on ``column`` lists; None when it lists none.

    SQLite gives back ``status IN ('a', 'b')`` as written; PostgreSQL rewrites it as
    ``(status)::text = ANY (ARRAY['a'::character varying, ...])``.
    """
    lists_values = re.search(r" IN \(|= ANY ", check) is not None
    if re.search(rf"\b{column}\b", check) is None or not lists_values:
        return None
    return set(re.findall(r"'([^']*)'", check))


def test_there_are_enum_columns_to_check():
    names = {f"{t.name}.{c.name}" for t, c in enum_columns()}
    assert {"applications.status", "applications.decline_reason", "requisitions.status"} <= names


def test_each_enum_column_of_the_models_has_a_check_listing_exactly_its_values():
    for table, column in enum_columns():
        expected = {member.value for member in column.type.enum}
        found = [
            values_in(str(c.sqltext), column.name)
            for c in table.constraints
            if hasattr(c, "sqltext")
        ]
        assert expected in found, f"{table.name}.{column.name}: no CHECK listing {expected}"


def test_the_migrated_database_checks_each_enum_column_for_exactly_its_values(app):
    with app.app_context():
        inspector = inspect(db.session.connection())
        for table, column in enum_columns():
            expected = {member.value for member in column.type.enum}
            found = [
                values_in(check["sqltext"], column.name)
                for check in inspector.get_check_constraints(table.name)
            ]
            assert expected in found, (
                f"{table.name}.{column.name}: the migrations do not check for {expected}; "
                "a new value needs a migration"
            )


def test_an_enum_column_reads_back_the_member(app, hiring_objects):
    with app.app_context():
        requisition = db.session.get(Requisition, hiring_objects["requisition_id"])
        db.session.refresh(requisition)
        assert requisition.status is RequisitionStatus.OPEN
        application = db.session.get(Application, hiring_objects["application_id"])
        db.session.refresh(application)
        assert application.status is ApplicationStatus.ACTIVE


def test_a_value_read_is_its_member_and_one_the_enum_does_not_have_is_refused(app):
    """The result processor (a dictionary lookup) answers what ``process_result_value``
    does, for every dialect the suite runs on."""
    with app.app_context():
        column = EnumText(ApplicationStatus, 16)
        read = column.result_processor(db.engine.dialect, None)
        for member in ApplicationStatus:
            assert read(member.value) is member
            assert read(member.value) is column.process_result_value(member.value, None)
        assert read(None) is None
        with pytest.raises(ValueError, match="vibes"):
            read("vibes")


def test_a_value_the_enum_does_not_have_is_refused_before_the_database(app, hiring_objects):
    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        application.decline_reason = "vibes"
        with pytest.raises(StatementError) as caught:
            db.session.flush()
        assert isinstance(caught.value.orig, ValueError)
        db.session.rollback()


def test_the_database_refuses_what_slips_past_the_code(app, hiring_objects):
    with app.app_context():
        db.session.execute(
            text("UPDATE applications SET decline_reason = :reason WHERE id = :id"),
            {"reason": DeclineReason.SKILLS.value, "id": hiring_objects["application_id"]},
        )
        with pytest.raises(IntegrityError):
            db.session.execute(
                text("UPDATE applications SET decline_reason = 'vibes' WHERE id = :id"),
                {"id": hiring_objects["application_id"]},
            )
        db.session.rollback()
        assert db.session.scalar(select(Application.decline_reason).limit(1)) is None
