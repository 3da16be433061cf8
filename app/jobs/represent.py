"""The JSON shapes of the public jobs API."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pipelines.postings import Posting


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def listing(item: dict[str, Any]) -> dict[str, Any]:
    """A posting in a list (from :func:`app.jobs.pages.listing`)."""
    return {
        **{k: v for k, v in item.items() if k not in ("published_at", "valid_through", "where")},
        "published_at": _iso(item["published_at"]),
        "valid_through": _iso(item["valid_through"]),
    }


def posting(post: Posting, *, url: str, json_ld: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": post.id,
        "title": post.title,
        "url": url,
        "level_id": post.level_id,
        "level_title": post.level_title,
        "specialty_id": post.specialty_id,
        "specialty_title": post.specialty_title,
        "family_id": post.family_id,
        "family_title": post.family_title,
        "grade": post.grade,
        "intro": post.fields.intro,
        "location": post.fields.location,
        "remote": post.fields.remote,
        "employment_type": post.fields.employment_type.value,
        "valid_through": _iso(post.fields.valid_through),
        "published_at": _iso(post.published_at),
        "summary": list(post.summary),
        "responsibilities": [asdict(item) for item in post.responsibilities],
        "requirements": [asdict(item) for item in post.requirements],
        "process_intro": list(post.process_intro),
        "process": [
            {
                "number": step.number,
                "name": step.name,
                "duration_minutes": step.duration_minutes,
                "who": step.who,
                "format": list(step.format),
                "text": list(step.text),
            }
            for step in post.process
        ],
        "ladder_version": post.ladder_version,
        "json_ld": json_ld,
    }
