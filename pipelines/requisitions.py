"""Requisitions: the statuses an opening goes through, and what each allows."""

from __future__ import annotations

from enum import StrEnum


class RequisitionStatus(StrEnum):
    OPEN = "open"
    ON_HOLD = "on_hold"
    FILLED = "filled"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def takes_candidates(self) -> bool:
        """Candidates are added only while the requisition is open."""
        return self is RequisitionStatus.OPEN


_LABELS = {
    RequisitionStatus.OPEN: "Open",
    RequisitionStatus.ON_HOLD: "On hold",
    RequisitionStatus.FILLED: "Filled",
    RequisitionStatus.CLOSED: "Closed",
}


__all__ = ["RequisitionStatus"]
