"""The pipeline board's columns: which column an application sits in, and how a column is
ordered and cut, so that a board's size does not grow with its requisition's.

A board has one column per stage of the plan (active applications at that stage), then
``offer`` and ``hired``, and the ``closed`` list (declined, withdrawn, or at a stage the
plan no longer has). Each column shows its first cards in the order the recruiter chose
(longest in stage first, or newest in stage first), with its count; one column at a time
may be opened further, page by page, and filtered by the candidate's name.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from pipelines.applications import ApplicationStatus

# Underscored: a stage id is a slug (letters, digits, hyphens), so no stage of a plan can
# take a column's place.
OFFER = "_offer"
HIRED = "_hired"
CLOSED = "_closed"
#: The columns after the plan's stages, in the board's order.
END_COLUMNS = (OFFER, HIRED, CLOSED)
#: The longest name filter kept (a name is at most this long anyway).
FILTER_LENGTH = 100


class BoardOrder(StrEnum):
    """Which cards of a column come first."""

    OLDEST = "oldest"  # longest in stage first: who waits longest
    NEWEST = "newest"  # newest in stage first: who just arrived

    @property
    def label(self) -> str:
        return "longest in stage first" if self is BoardOrder.OLDEST else "newest in stage first"


def column_of(status: ApplicationStatus, stage_id: str, stage_ids: Collection[str]) -> str:
    """The column an application sits in: its stage while active (and the stage is one
    of the plan's), ``offer``, ``hired``, else ``closed``."""
    if status is ApplicationStatus.ACTIVE and stage_id in stage_ids:
        return stage_id
    if status is ApplicationStatus.OFFER:
        return OFFER
    if status is ApplicationStatus.HIRED:
        return HIRED
    return CLOSED


def columns(stage_ids: Collection[str]) -> tuple[str, ...]:
    """Every column of a board whose plan has ``stage_ids`` (in the plan's order)."""
    return (*stage_ids, *END_COLUMNS)


def parse_order(raw: str | None) -> BoardOrder | None:
    """``?order=``: a BoardOrder; the default (oldest) when absent; None when it names
    no order."""
    if raw is None or raw == "":
        return BoardOrder.OLDEST
    try:
        return BoardOrder(raw)
    except ValueError:
        return None


def clean_filter(raw: str | None) -> str | None:
    """``?q=``: the name filter of the opened column, trimmed and bounded; None if empty."""
    text = " ".join((raw or "").split())[:FILTER_LENGTH]
    return text or None
