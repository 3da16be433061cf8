"""Job postings: the recruiter's few fields, the posting derived from the ladder, and its
schema.org ``JobPosting`` JSON-LD.

A posting's title, summary, responsibilities and requirements are the requisition's level
(and specialty) as the ladder resolves them; the hiring process is the family's, as its
pipeline plan reads it. The recruiter writes only the intro, where the work is done, the
employment type and the date the posting runs until.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from ladder.model import Ladder, Role
from ladder.resolve import ResolvedItem, resolve_level
from pipelines.errors import PlanError
from pipelines.plan import plan_for_level


class EmploymentType(StrEnum):
    """schema.org ``employmentType`` values."""

    FULL_TIME = "FULL_TIME"
    PART_TIME = "PART_TIME"
    CONTRACTOR = "CONTRACTOR"
    TEMPORARY = "TEMPORARY"
    INTERN = "INTERN"

    @property
    def label(self) -> str:
        return _EMPLOYMENT_LABELS[self]


_EMPLOYMENT_LABELS = {
    EmploymentType.FULL_TIME: "Full time",
    EmploymentType.PART_TIME: "Part time",
    EmploymentType.CONTRACTOR: "Contractor",
    EmploymentType.TEMPORARY: "Temporary",
    EmploymentType.INTERN: "Internship",
}

#: The recruiter's intro, at most (the column's limit, tests/web/test_input_limits.py).
MAX_INTRO = 5000
MAX_LOCATION = 200

#: Who a stage's people are, in words a candidate reads, when the data names nobody.
ROLE_WORDS = {
    Role.RECRUITER: "a recruiter",
    Role.HIRING_MANAGER: "the hiring manager",
    Role.PEER: "a peer from the team",
    Role.TEAM_MEMBER: "a member of the team",
    Role.EXECUTIVE: "an executive",
}


@dataclass(frozen=True, slots=True)
class PostingFields:
    """What a recruiter writes on a requisition's posting."""

    intro: str | None = None
    location: str | None = None
    remote: bool = False
    employment_type: EmploymentType = EmploymentType.FULL_TIME
    valid_through: date | None = None


@dataclass(frozen=True, slots=True)
class PostingItem:
    text: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProcessStep:
    """One stage of the hiring process as a candidate reads it."""

    number: int
    name: str
    duration_minutes: int | None
    who: str | None
    format: tuple[str, ...]
    text: tuple[str, ...]

    @property
    def duration(self) -> str | None:
        if self.duration_minutes is None:
            return None
        return "1 minute" if self.duration_minutes == 1 else f"{self.duration_minutes} minutes"


@dataclass(frozen=True, slots=True)
class Posting:
    """A published (or previewed) job posting: the ladder's parts and the recruiter's."""

    id: int
    title: str
    level_id: str
    level_title: str
    specialty_id: str | None
    specialty_title: str | None
    family_id: str
    family_title: str
    grade: int | None
    summary: tuple[str, ...]
    responsibilities: tuple[PostingItem, ...]
    requirements: tuple[PostingItem, ...]
    process_intro: tuple[str, ...]
    process: tuple[ProcessStep, ...]
    fields: PostingFields
    published_at: datetime | None = None
    ladder_version: str = ""

    @property
    def role_title(self) -> str:
        """The ladder's name for the role: the level, with the specialty if any."""
        if self.specialty_title is None:
            return self.level_title
        return f"{self.level_title}, {self.specialty_title}"

    @property
    def where(self) -> str:
        """'Berlin, Germany', 'Remote (Europe)', 'Remote' or ''."""
        location = self.fields.location or ""
        if self.fields.remote:
            return f"Remote ({location})" if location else "Remote"
        return location


def _items(resolved: tuple[ResolvedItem, ...]) -> tuple[PostingItem, ...]:
    return tuple(PostingItem(item.text, item.items) for item in resolved)


def _who(roles: tuple[Role, ...], conducted_by: str | None) -> str | None:
    if conducted_by:
        return conducted_by
    if not roles:
        return None
    words = [ROLE_WORDS.get(role, role.value.replace("_", " ")) for role in roles]
    unique = list(dict.fromkeys(words))
    if len(unique) == 1 and len(words) > 1:
        return f"{len(words)} people: {unique[0]} each"
    return ", ".join(words[:-1]) + (" and " if len(words) > 1 else "") + words[-1]


def process_steps(ladder: Ladder, level_id: str) -> tuple[ProcessStep, ...]:
    """The family's hiring process for a level, in order: the pipeline plan's stages, or
    the data's stages as written when the plan refuses them."""
    family = ladder.family_of(level_id)
    if family.hiring_process is None:
        return ()
    try:
        plan = plan_for_level(ladder, level_id)
    except PlanError:
        return tuple(
            ProcessStep(
                number,
                stage.name,
                stage.duration_minutes,
                stage.conducted_by.text if stage.conducted_by is not None else None,
                stage.format,
                stage.text,
            )
            for number, stage in enumerate(family.hiring_process.stages, start=1)
        )
    return tuple(
        ProcessStep(
            stage.position + 1,
            stage.name,
            stage.duration_minutes,
            _who(stage.roles, stage.conducted_by),
            stage.format,
            stage.text,
        )
        for stage in plan.stages
    )


def build_posting(
    ladder: Ladder,
    *,
    posting_id: int,
    title: str,
    level_id: str,
    specialty_id: str | None,
    fields: PostingFields,
    published_at: datetime | None = None,
) -> Posting:
    """The posting of a requisition; ``UnknownIdError`` (ladder.resolve) for a level or
    specialty the ladder lacks."""
    resolved = resolve_level(ladder, level_id, specialty_id or None)
    level, family = resolved.level, resolved.family
    summary = level.description or ((family.description,) if family.description else ())
    process = family.hiring_process
    return Posting(
        id=posting_id,
        title=title.strip() or level.title,
        level_id=level.id,
        level_title=level.title,
        specialty_id=resolved.specialty.id if resolved.specialty is not None else None,
        specialty_title=resolved.specialty.title if resolved.specialty is not None else None,
        family_id=family.id,
        family_title=family.title,
        grade=level.grade,
        summary=summary,
        responsibilities=_items(resolved.responsibilities),
        requirements=_items(resolved.requirements),
        process_intro=process.intro if process is not None else (),
        process=process_steps(ladder, level.id),
        fields=fields,
        published_at=published_at,
        ladder_version=ladder.version,
    )


# --- publishing ----------------------------------------------------------------------


def publish_problems(fields: PostingFields, *, today: date) -> dict[str, str]:
    """Why a posting cannot be published, by field (empty: it can). Job search engines
    need a place: an office's location, or where a remote applicant must live."""
    problems: dict[str, str] = {}
    if not (fields.location or "").strip():
        problems["posting_location"] = (
            "Give a location before publishing: the office's city and country, or for a "
            "remote role where applicants must live (e.g. Germany, EMEA)."
        )
    if fields.valid_through is not None and fields.valid_through < today:
        problems["posting_valid_through"] = (
            f"The posting ran until {fields.valid_through.isoformat()}, which is past; "
            "choose a later date or none."
        )
    return problems


def is_live(published_at: datetime | None, valid_through: date | None, *, today: date) -> bool:
    """Shown on the careers site: published, and not past its last day (the requisition
    being open is the caller's check)."""
    return published_at is not None and (valid_through is None or valid_through >= today)


# --- schema.org JobPosting -----------------------------------------------------------


def _list_html(heading: str, items: tuple[PostingItem, ...]) -> str:
    if not items:
        return ""
    entries = []
    for item in items:
        sub = "".join(f"<li>{html.escape(s)}</li>" for s in item.items)
        entries.append(f"<li>{html.escape(item.text)}{f'<ul>{sub}</ul>' if sub else ''}</li>")
    return f"<h2>{html.escape(heading)}</h2><ul>{''.join(entries)}</ul>"


def description_html(posting: Posting) -> str:
    """The posting's text as the HTML schema.org allows in ``description``."""
    parts: list[str] = []
    if posting.fields.intro:
        parts += [f"<p>{html.escape(p.strip())}</p>" for p in posting.fields.intro.split("\n\n")]
    parts += [f"<p>{html.escape(p)}</p>" for p in posting.summary]
    parts.append(_list_html("Responsibilities", posting.responsibilities))
    parts.append(_list_html("Requirements", posting.requirements))
    if posting.process:
        steps = "".join(
            f"<li>{html.escape(step.name)}"
            + (f" ({html.escape(step.duration)})" if step.duration else "")
            + "</li>"
            for step in posting.process
        )
        parts.append(f"<h2>Hiring process</h2><ol>{steps}</ol>")
    return "".join(part for part in parts if part)


def _address(location: str) -> dict[str, str]:
    """'Berlin, Germany' as a PostalAddress: the last part the country, the rest the place."""
    place, _, country = location.rpartition(",")
    address = {"@type": "PostalAddress"}
    if place.strip():
        address["addressLocality"] = place.strip()
        address["addressCountry"] = country.strip()
    else:
        address["addressLocality"] = location.strip()
    return address


def job_posting_json_ld(
    posting: Posting,
    *,
    url: str,
    company_name: str,
    company_url: str | None,
) -> dict[str, Any]:
    """schema.org ``JobPosting`` of a published posting (Google's required fields and the
    recommended ones that are set)."""
    organization: dict[str, Any] = {"@type": "Organization", "name": company_name}
    if company_url:
        organization["sameAs"] = company_url
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": description_html(posting),
        "employmentType": posting.fields.employment_type.value,
        "hiringOrganization": organization,
        "identifier": {
            "@type": "PropertyValue",
            "name": company_name,
            "value": str(posting.id),
        },
        "directApply": True,
        "url": url,
        "occupationalCategory": posting.family_title,
    }
    if posting.published_at is not None:
        data["datePosted"] = posting.published_at.astimezone(UTC).date().isoformat()
    if posting.fields.valid_through is not None:
        data["validThrough"] = f"{posting.fields.valid_through.isoformat()}T23:59:59Z"
    location = (posting.fields.location or "").strip()
    if posting.fields.remote:
        data["jobLocationType"] = "TELECOMMUTE"
        if location:
            data["applicantLocationRequirements"] = {"@type": "Country", "name": location}
    elif location:
        data["jobLocation"] = {"@type": "Place", "address": _address(location)}
    return data


__all__ = [
    "MAX_INTRO",
    "MAX_LOCATION",
    "EmploymentType",
    "Posting",
    "PostingFields",
    "PostingItem",
    "ProcessStep",
    "build_posting",
    "description_html",
    "is_live",
    "job_posting_json_ld",
    "process_steps",
    "publish_problems",
]
