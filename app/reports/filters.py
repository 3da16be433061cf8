"""The filters every hiring report shares: requisition, level, family and period.

The same query parameters on the pages, their charts and CSV files, and in the API:
``requisition_id``, ``level``, ``family``, ``from`` and ``to`` (dates, YYYY-MM-DD, both
included). A bad one is named: 400 on a page, 422 in the API. A requisition the viewer may
not see is a 404 (see :func:`app.reports.queries.report_context`).

The period selects applications opened in it (UTC days), requisitions opened in it for the
open requisitions' ages, and interviews held in it for the overdue scorecards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app.inputs import DB_INT_MAX
from ladder.model import Ladder

#: The query parameters, in the order a page shows them.
PARAMETERS = ("requisition_id", "level", "family", "from", "to")

EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


@dataclass(frozen=True, slots=True)
class ReportFilters:
    requisition_id: int | None = None
    level: str | None = None
    family: str | None = None
    start: date | None = None
    end: date | None = None

    @property
    def any(self) -> bool:
        return any(
            v is not None
            for v in (self.requisition_id, self.level, self.family, self.start, self.end)
        )

    @property
    def period_start(self) -> datetime | None:
        """The first moment of the period (UTC)."""
        return datetime.combine(self.start, time(), UTC) if self.start else None

    @property
    def period_end(self) -> datetime | None:
        """The moment after the period (UTC midnight after its last day)."""
        return datetime.combine(self.end + timedelta(days=1), time(), UTC) if self.end else None

    def args(self) -> dict[str, str]:
        """The filters as query parameters (for links to charts, CSV files and the API)."""
        out: dict[str, str] = {}
        if self.requisition_id is not None:
            out["requisition_id"] = str(self.requisition_id)
        if self.level is not None:
            out["level"] = self.level
        if self.family is not None:
            out["family"] = self.family
        if self.start is not None:
            out["from"] = self.start.isoformat()
        if self.end is not None:
            out["to"] = self.end.isoformat()
        return out

    def period_args(self) -> dict[str, str]:
        """The filters calibration and quality of hire take (all but the requisition)."""
        return {name: value for name, value in self.args().items() if name != "requisition_id"}

    def as_json(self) -> dict[str, object]:
        return {
            "requisition_id": self.requisition_id,
            "level": self.level,
            "family": self.family,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
        }


def _date(raw: str, name: str, problems: dict[str, list[str]]) -> date | None:
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        problems.setdefault(name, []).append("Expected a date as YYYY-MM-DD.")
        return None
    if not EARLIEST <= value <= LATEST:
        problems.setdefault(name, []).append(
            f"Expected a date between {EARLIEST.isoformat()} and {LATEST.isoformat()}."
        )
        return None
    return value


def parse_filters(
    args: Mapping[str, str], ladder: Ladder
) -> tuple[ReportFilters, dict[str, list[str]]]:
    """The filters in ``args``, and the problems per parameter (empty when all are good)."""
    problems: dict[str, list[str]] = {}

    def raw(name: str) -> str:
        return (args.get(name) or "").strip()

    requisition_id = None
    if raw("requisition_id"):
        text = raw("requisition_id")
        if text.isascii() and text.isdigit() and len(text) <= 10 and 1 <= int(text) <= DB_INT_MAX:
            requisition_id = int(text)
        else:
            problems["requisition_id"] = [f"Expected a requisition id (1 to {DB_INT_MAX})."]
    family = raw("family") or None
    if family is not None and family not in ladder.families_by_id:
        problems["family"] = ["Not a family of the ladder."]
        family = None
    level = raw("level") or None
    if level is not None:
        found = ladder.levels_by_id.get(level)
        if found is None:
            problems["level"] = ["Not a level of the ladder."]
            level = None
        elif family is not None and found.family != family:
            problems["level"] = ["This level is not in the family chosen."]
            level = None
    start = _date(raw("from"), "from", problems) if raw("from") else None
    end = _date(raw("to"), "to", problems) if raw("to") else None
    if start is not None and end is not None and end < start:
        problems.setdefault("to", []).append("The period ends before it starts.")
    return ReportFilters(requisition_id, level, family, start, end), problems


__all__ = ["PARAMETERS", "ReportFilters", "parse_filters"]
