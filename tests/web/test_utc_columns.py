"""Timestamps are UTC on both databases: written in UTC, read back as aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from app.db import db
from app.models import Requisition
from app.models.columns import UTCDateTime


def test_each_way_of_reading_agrees(app):
    column = UTCDateTime()
    moment = datetime(2026, 12, 4, 21, 0, 7, tzinfo=UTC)
    with app.app_context():
        dialect = db.engine.dialect
    for given in (
        moment,
        moment.astimezone(ZoneInfo("Europe/Berlin")),
        moment.replace(tzinfo=None),
    ):
        assert column.process_result_value(given, dialect) == moment
    if dialect.name != "sqlite":  # SQLite's values are text, parsed by the impl's processor
        read = column.result_processor(dialect, None)
        assert read(moment) is moment  # already UTC: taken as it is
        assert read(moment.replace(tzinfo=None)) == moment


def test_timestamps_round_trip_in_utc(app, hiring_objects):
    with app.app_context():
        created = db.session.scalar(
            select(Requisition.created_at).where(Requisition.id == hiring_objects["requisition_id"])
        )
        assert created.tzinfo is UTC
        assert abs(datetime.now(UTC) - created) < timedelta(hours=1)


def test_each_postgresql_connection_speaks_utc(app):
    with app.app_context():
        if db.session.get_bind().dialect.name != "postgresql":
            pytest.skip("PostgreSQL only (the suite also runs on it)")
        assert db.session.execute(text("SHOW TimeZone")).scalar() == "UTC"
        # What the database computes from a timestamp is computed in UTC too.
        day = db.session.execute(
            text("SELECT CAST(CAST('2026-12-04 23:30:00+00' AS timestamptz) AS date)")
        ).scalar()
        assert str(day) == "2026-12-04"
