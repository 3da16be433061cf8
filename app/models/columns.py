"""Column types and constraints every model shares: UTC datetimes, and enums stored as text.

An enum column holds the value of a ``StrEnum`` from the domain (``ApplicationStatus``,
``PacketStatus`` …) as plain text, reads back the enum member, and is guarded by a CHECK
constraint built from the same enum, so the database and the code accept the same values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import CheckConstraint, DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

E = TypeVar("E", bound=StrEnum)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; HireLadder stores UTC only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], datetime | None]:
        """What :meth:`process_result_value` does, in one function per column rather than
        two calls per value; a value already in UTC (PostgreSQL's, whose connections are set
        to UTC: app/postgres.py) is taken as it is."""
        read = self.impl_instance.result_processor(dialect, coltype)

        def process(value: Any) -> datetime | None:
            if read is not None:
                value = read(value)
            if value is None:
                return None
            zone = value.tzinfo
            if zone is UTC:
                return value  # type: ignore[no-any-return]
            if zone is None:
                return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
            return value.astimezone(UTC)  # type: ignore[no-any-return]

        return process


class EnumText(TypeDecorator[E], Generic[E]):
    """A ``StrEnum`` stored as its value in a ``VARCHAR``; read back as the member.

    Writing a value the enum does not have raises ``ValueError`` before the database is
    asked; the CHECK constraint from :func:`one_of` refuses it there too.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return self.enum(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        if value is None:
            return None
        return self.enum(value)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], E | None]:
        """Each value read as its member by a dictionary lookup: what
        :meth:`process_result_value` does, without calling the enum (which costs several
        times more, on every enum value of every row a list reads). A value the enum does
        not have still raises ``ValueError``."""
        text = self.impl_instance.result_processor(dialect, coltype)
        members = self.enum._value2member_map_
        enum = self.enum

        def process(value: Any) -> E | None:
            if text is not None:
                value = text(value)
            if value is None:
                return None
            member = members.get(value)
            return enum(value) if member is None else member  # type: ignore[return-value]

        return process


def values_sql(column: str, values: Iterable[str]) -> str:
    """``column IN ('a', 'b')``: the SQL of a check that the column holds one of ``values``."""
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


def one_of(
    column: str, enum: type[StrEnum], *, name: str, nullable: bool = False
) -> CheckConstraint:
    """A CHECK constraint that ``column`` holds a value of ``enum`` (or NULL if ``nullable``)."""
    check = values_sql(column, enum)
    if nullable:
        check = f"{column} IS NULL OR {check}"
    return CheckConstraint(check, name=name)
