"""Each requisition's pipeline plan, built once per process per ladder version and family.

Its own module so that every service can ask for a plan without importing the hiring
service (which builds on several of them).
"""

from __future__ import annotations

from app.ladder_access import get_ladder
from app.models import Requisition
from pipelines.plan import PipelinePlan, plan_for_level

# Plans are pure functions of the ladder's content and the family, and the ladder's version
# is its content hash: build each once per process instead of on every call.
_PLANS: dict[tuple[str, str], PipelinePlan] = {}


def plan_for(requisition: Requisition) -> PipelinePlan:
    return plan_for_level_id(requisition.level_id)


def plan_for_level_id(level_id: str) -> PipelinePlan:
    """The plan of a requisition for ``level_id`` (a list that reads requisitions' columns
    rather than their objects asks by level)."""
    ladder = get_ladder()
    level = ladder.levels_by_id.get(level_id)
    key = (ladder.version, level.family if level else level_id)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = plan_for_level(ladder, level_id)
    return plan


__all__ = ["plan_for", "plan_for_level_id"]
