"""Queries of the candidates list and a candidate's page, shared by the pages and the API.

The list is the recruiters': records merged into another are left out; erased records
(anonymous skeletons) are listed as such, and search finds nothing in them. Search is
:func:`app.services.candidate_search.matching`; the filters on applications (requisition,
family, stage, status, source) ask for one application matching all of them. Each loader
costs a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Integer, Select, any_, bindparam, false, select
from sqlalchemy.orm import joinedload

from app.db import db
from app.ladder_access import get_ladder
from app.models import Application, Candidate, CandidateMerge, CandidateTag, Requisition
from app.services.candidate_search import matching
from pipelines.applications import ApplicationStatus
from pipelines.candidates import CandidateRuleError, normalise_tag
from pipelines.sources import ApplicationSource


@dataclass(frozen=True)
class CandidateFilters:
    q: str = ""
    requisition_id: int | None = None
    family: str | None = None
    stage: str | None = None
    status: ApplicationStatus | None = None
    source: ApplicationSource | None = None
    tag: str | None = None
    created_from: date | None = None
    created_to: date | None = None

    @property
    def any(self) -> bool:
        return any(
            (
                self.q.strip(),
                self.requisition_id,
                self.family,
                self.stage,
                self.status,
                self.source,
                self.tag,
                self.created_from,
                self.created_to,
            )
        )


def family_levels(family_id: str) -> list[str]:
    ladder = get_ladder()
    for family in ladder.families:
        if family.id == family_id:
            return [level.id for level in family.levels]
    return []


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


#: On PostgreSQL, a search matching at most this many candidates is answered from the GIN
#: index (:func:`_search_condition`); one matching more walks the candidates newest first.
SPARSE_LIMIT = 10_000


def _estimated_rows(statement: Select[Any]) -> float:
    """The planner's estimate of the rows ``statement`` gives (planning only, no rows
    read), from the statistics ANALYZE keeps (of the GIN index's words, too)."""
    compiled = statement.compile(db.session.get_bind())
    plan = (
        db.session.connection()
        .exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params)
        .scalar()
    )
    return float(plan[0]["Plan"]["Plan Rows"])


def _search_condition(query: str) -> ColumnElement[bool] | None:
    """The WHERE clause of a search.

    PostgreSQL's planner costs parsing a row's text (``to_tsvector``) far below what it
    takes (about 0.1 ms for a CV), so for a page of newest-first results it walks the
    primary key and parses row after row: fast when the words are common, seconds when
    they are rare. So unless the statistics say the words are common (more than
    :data:`SPARSE_LIMIT` matches: the walk then finds a page within a few hundred rows),
    the matching ids are read first (at most :data:`SPARSE_LIMIT` + 1 of them, in no
    order: the planner reads them through the GIN index), and the search is those ids;
    more than that, the walk. SQLite's FTS5 needs none of this.
    """
    clause = matching(query)
    if clause is None or db.session.get_bind().dialect.name != "postgresql":
        return clause
    if _estimated_rows(select(Candidate.id).where(clause)) > SPARSE_LIMIT:
        # Common words by the table's statistics: the walk finds a page at once.
        return clause
    # Every match at most (no order): the planner reads them through the GIN index.
    ids = list(db.session.scalars(select(Candidate.id).where(clause).limit(SPARSE_LIMIT + 1)))
    if len(ids) > SPARSE_LIMIT:
        return clause
    if not ids:
        return false()
    # One array parameter, not an IN list of thousands of parameters.
    return Candidate.id == any_(bindparam("search_ids", ids, type_=ARRAY(Integer)))


def candidate_search(filters: CandidateFilters) -> Select[tuple[Candidate]]:
    """Candidates matching the search and every filter (unordered; the caller pages)."""
    query = select(Candidate).where(Candidate.merged_into_id.is_(None))
    clause = _search_condition(filters.q)
    if clause is not None:
        query = query.where(clause)
    conditions = []
    if filters.requisition_id is not None:
        conditions.append(Application.requisition_id == filters.requisition_id)
    if filters.family:
        conditions.append(
            Application.requisition_id.in_(
                select(Requisition.id).where(
                    Requisition.level_id.in_(family_levels(filters.family))
                )
            )
        )
    if filters.stage:
        conditions.append(Application.stage_id == filters.stage)
    if filters.status is not None:
        conditions.append(Application.status == filters.status)
    if filters.source is not None:
        conditions.append(Application.source == filters.source)
    if conditions:
        query = query.where(
            select(Application.id)
            .where(Application.candidate_id == Candidate.id, *conditions)
            .exists()
        )
    if filters.tag:
        try:
            tag = normalise_tag(filters.tag)
        except CandidateRuleError:
            tag = ""  # no tag is spelled so: nothing matches
        query = query.where(
            select(CandidateTag.tag)
            .where(CandidateTag.candidate_id == Candidate.id, CandidateTag.tag == tag)
            .exists()
        )
    if filters.created_from is not None:
        query = query.where(Candidate.created_at >= _start_of(filters.created_from))
    if filters.created_to is not None:
        query = query.where(
            Candidate.created_at < _start_of(filters.created_to + timedelta(days=1))
        )
    return query


def applications_by_candidate(ids: Sequence[int]) -> dict[int, list[Application]]:
    """Each candidate's applications (requisition loaded), newest first: one query."""
    found: dict[int, list[Application]] = defaultdict(list)
    if not ids:
        return found
    for application in db.session.scalars(
        select(Application)
        .options(joinedload(Application.requisition))
        .where(Application.candidate_id.in_(ids))
        .order_by(Application.id.desc())
    ):
        found[application.candidate_id].append(application)
    return found


def tags_by_candidate(ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return found
    for candidate_id, tag in db.session.execute(
        select(CandidateTag.candidate_id, CandidateTag.tag)
        .where(CandidateTag.candidate_id.in_(ids))
        .order_by(CandidateTag.tag)
    ):
        found[candidate_id].append(tag)
    return found


def requisition_choices(selected: int | None, limit: int = 200) -> list[Requisition]:
    """Requisitions for the filter: the newest ``limit`` (and the selected one)."""
    rows = list(
        db.session.scalars(select(Requisition).order_by(Requisition.id.desc()).limit(limit))
    )
    if selected is not None and all(r.id != selected for r in rows):
        extra = db.session.get(Requisition, selected)
        if extra is not None:
            rows.append(extra)
    return rows


def merge(merge_id: int) -> CandidateMerge | None:
    return db.session.get(CandidateMerge, merge_id)


__all__ = [
    "CandidateFilters",
    "applications_by_candidate",
    "candidate_search",
    "family_levels",
    "merge",
    "requisition_choices",
    "tags_by_candidate",
]
