"""The JSON bodies the promotion endpoints accept (parsed by the views, documented in OpenAPI).

Never a lost update: every change names the version it was made on (each section's for
evidence, the packet's to submit, decide or withdraw). A missing, null or non-integer
version is a 422 on that field, never "overwrite whatever is there".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.api.bodies import Body, Field, Kind
from app.api.errors import ApiError, Problems
from app.inputs import DB_INT_MAX
from pipelines.promotions import MAX_TEXT, Decision

DECISIONS = tuple(d.value for d in Decision)
SECTION_FIELDS = ("key", "evidence", "version")
#: A section key's length (the column holds 64 characters).
MAX_KEY = 64


def version_problem(value: object, what: str) -> str | None:
    """Why ``value`` is not a version (an integer, required), or None."""
    if value is None:
        return f"'version' is required: {what} as last read (GET the packet)."
    if not isinstance(value, int) or isinstance(value, bool):
        return f"'version' must be an integer: {what} as last read (GET the packet)."
    if not -DB_INT_MAX <= value <= DB_INT_MAX:
        return f"'version' is out of range: {what} as last read (GET the packet)."
    return None


@dataclass(frozen=True)
class VersionField(Field):
    """A required integer version; missing, null or not an integer is a 422 on the field."""

    def has_type(self, value: object) -> bool:
        return True  # convert() answers 422 for a wrong type: it is a missing version

    def convert(self, value: Any, problems: Problems) -> Any:
        problem = version_problem(value, "the packet's version")
        if problem is not None:
            problems.add(self.name, problem)
            return None
        return value


VERSION = VersionField(
    "version",
    Kind.INTEGER,
    "The packet's version as last read (required); a different current version answers 409.",
    required=True,
)


@dataclass(frozen=True)
class SectionEdits(Field):
    """``[{"key", "evidence", "version"}, ...]``: a list of objects, checked here.

    Converts to ``{key: (evidence, version)}``; value problems are keyed by section key,
    among them a missing, null or non-integer version (required: never a blind overwrite).
    """

    def has_type(self, value: object) -> bool:
        return True  # convert() checks the shape, with messages about the entries

    def convert(self, value: Any, problems: Problems) -> Any:
        if value is None:
            problems.add(self.name, "This field is required.")
            return {}
        if not isinstance(value, list):
            raise ApiError(
                400,
                f"Wrong JSON type for {self.name}; see 'fields'.",
                fields={self.name: ["Expected a list of objects."]},
            )
        wrong: list[str] = []
        edits: dict[str, tuple[str | None, int]] = {}
        for number, entry in enumerate(value, start=1):
            where = f"Entry {number}"
            if not isinstance(entry, dict):
                wrong.append(f"{where}: expected an object with key, evidence and version.")
                continue
            unknown = sorted(set(entry) - set(SECTION_FIELDS))
            if unknown:
                wrong.append(
                    f"{where}: unknown field(s) {', '.join(unknown)}; "
                    f"an entry takes {', '.join(SECTION_FIELDS)}."
                )
            key, evidence, version = (entry.get(name) for name in SECTION_FIELDS)
            if key is not None and not isinstance(key, str):
                wrong.append(f"{where}: 'key' must be a string.")
            if evidence is not None and not isinstance(evidence, str):
                wrong.append(f"{where}: 'evidence' must be a string or null.")
            if wrong:
                continue
            if not isinstance(key, str) or not key.strip():
                problems.add(self.name, f"{where} has no 'key'.")
                continue
            if len(key) > MAX_KEY:
                problems.add(self.name, f"{where}: 'key' has at most {MAX_KEY} characters.")
                continue
            if key in edits:
                problems.add(key, "The section is named more than once.")
                continue
            if "evidence" not in entry:
                problems.add(key, "Give 'evidence' (an empty string or null clears it).")
            elif len((evidence or "").strip()) > MAX_TEXT:
                problems.add(key, f"At most {MAX_TEXT:,} characters.")
            problem = version_problem(version, "the section's version")
            if problem is not None:
                problems.add(key, problem)
            edits[key] = (evidence, version)
        if wrong:
            raise ApiError(
                400, f"Wrong JSON type for {self.name}; see 'fields'.", fields={self.name: wrong}
            )
        if not value:
            problems.add(self.name, "Give at least one section.")
        return edits

    def schema(self) -> dict[str, Any]:
        return {
            "type": "array",
            "minItems": 1,
            "description": self.description,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["key", "evidence", "version"],
                "properties": {
                    "key": {
                        "type": "string",
                        "maxLength": MAX_KEY,
                        "description": "A section key of the packet.",
                    },
                    "evidence": {
                        "type": ["string", "null"],
                        "maxLength": MAX_TEXT,
                        "description": "The section's whole text; empty or null clears it.",
                    },
                    "version": {
                        "type": "integer",
                        "minimum": -DB_INT_MAX,
                        "maximum": DB_INT_MAX,
                        "description": "The section's version as last read (required). When "
                        "the text differs from the stored one and this version is stale, the "
                        "whole request answers 409 with 'conflicts' and nothing is written.",
                    },
                },
            },
        }


CREATE = Body(
    (
        Field(
            "user_email",
            Kind.EMAIL,
            "The person the packet is about: an active direct report of the caller. Anyone "
            "else (or an unknown address) answers 403, the same for all.",
            required=True,
            max_length=254,
        ),
        Field(
            "target_level_id",
            Kind.STRING,
            "The level to promote to (GET /ladder/levels); it must be a step up.",
            required=True,
            max_length=100,
        ),
        Field(
            "target_specialty_id",
            Kind.STRING,
            "A specialty of the target level; defaults to the person's own when it applies.",
            max_length=100,
        ),
    )
)

UPDATE = Body(
    (
        SectionEdits(
            "sections",
            Kind.STRING,
            "The sections to write. Sections whose text equals the stored one are left alone.",
            required=True,
            max_length=MAX_TEXT,
        ),
    )
)

SUBMIT = Body((VERSION,))

WITHDRAW = Body(
    (
        Field(
            "reason",
            Kind.STRING,
            "Why the packet is withdrawn; optional, kept as the packet's closing comment.",
            max_length=MAX_TEXT,
        ),
        VERSION,
    )
)

DECIDE = Body(
    (
        Field(
            "decision",
            Kind.STRING,
            "approve or decline.",
            required=True,
            choices=DECISIONS,
        ),
        Field(
            "comment",
            Kind.STRING,
            "Required to decline; optional to approve.",
            max_length=MAX_TEXT,
        ),
        Field(
            "effective_on",
            Kind.DATE,
            "Approvals only: the day the person's new level counts from (YYYY-MM-DD); "
            "today in the approver's time zone when absent. Not before the day the packet "
            "was submitted, at most a year ahead (422 otherwise); a later day takes effect "
            "on that day.",
            example="2027-03-01",
        ),
        VERSION,
    )
)
