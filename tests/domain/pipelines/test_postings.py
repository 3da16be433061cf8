"""Job postings from the ladder, and their schema.org JobPosting JSON-LD."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from ladder.loader import load_ladder
from ladder.model import Ladder
from ladder.resolve import UnknownIdError, resolve_level
from pipelines.postings import (
    EmploymentType,
    Posting,
    PostingFields,
    build_posting,
    description_html,
    is_live,
    job_posting_json_ld,
    publish_problems,
)

DATA = Path(__file__).resolve().parents[3] / "ladder" / "data"
PUBLISHED = datetime(2030, 3, 4, 9, 30, tzinfo=UTC)


def _posting(ladder: Ladder, fields: PostingFields | None = None, **kw: Any) -> Posting:
    args: dict[str, Any] = {
        "posting_id": 7,
        "title": "Senior CSM, EMEA",
        "level_id": "senior-csm",
        "specialty_id": None,
        "fields": fields or PostingFields(location="Berlin, Germany"),
        "published_at": PUBLISHED,
    }
    args.update(kw)
    return build_posting(ladder, **args)


def test_the_posting_carries_the_ladders_resolved_lists(ladder: Ladder) -> None:
    posting = _posting(ladder)
    resolved = resolve_level(ladder, "senior-csm")
    assert [i.text for i in posting.responsibilities] == [i.text for i in resolved.responsibilities]
    assert [i.text for i in posting.requirements] == [i.text for i in resolved.requirements]
    # Inherited from the CSM level (extends) and the level's own.
    texts = [i.text for i in posting.responsibilities]
    assert "Strategize on the overall objectives and long-range goals of the team" in texts
    assert len(texts) > 7
    assert posting.title == "Senior CSM, EMEA"
    assert posting.level_title == "Senior CSM"
    assert posting.family_title == ladder.family("customer-success-management").title
    assert posting.grade == 7
    assert posting.summary  # the family's description when the level has none


def test_a_specialty_adds_its_items(ladder: Ladder) -> None:
    plain = _posting(ladder)
    special = _posting(ladder, specialty_id="public-sector")
    assert special.specialty_title is not None
    added = {i.text for i in special.responsibilities + special.requirements} - {
        i.text for i in plain.responsibilities + plain.requirements
    }
    specialty = ladder.family("customer-success-management").specialty("public-sector")
    assert specialty is not None
    own = {i.text for i in specialty.responsibilities + specialty.requirements}
    assert added == own and added
    assert special.role_title == f"Senior CSM, {special.specialty_title}"


def test_an_unknown_level_or_specialty_is_refused(ladder: Ladder) -> None:
    with pytest.raises(UnknownIdError):
        _posting(ladder, level_id="no-such-level")
    with pytest.raises(UnknownIdError):
        _posting(ladder, specialty_id="no-such-specialty")


def test_the_hiring_process_comes_from_the_family(ladder: Ladder) -> None:
    posting = _posting(ladder)
    process = ladder.family("customer-success-management").hiring_process
    assert process is not None
    assert [s.name for s in posting.process] == [s.name for s in process.stages]
    assert [s.number for s in posting.process] == list(range(1, len(process.stages) + 1))
    screen = posting.process[0]
    assert screen.duration == "30 minutes"
    assert screen.who == "one of our Global Recruiters"
    assert screen.text and "screening call" in screen.text[0]
    assert posting.process_intro == process.intro


def test_a_change_to_the_ladder_data_changes_the_posting(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    before = load_ladder(copy)
    assert before.ok
    old = "Help drive team expertise and technical thought leadership"
    new = "Run the team's quarterly customer advisory board"
    path = copy / "customer-success-management.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    stage_old = "Recruiter Screening"
    text = path.read_text(encoding="utf-8").replace(
        f"name: {stage_old}", "name: Talent Partner Call"
    )
    path.write_text(text, encoding="utf-8")
    after = load_ladder(copy)
    assert after.ok, after.errors
    first = _posting(before.ladder)
    second = _posting(after.ladder)
    assert old in [i.text for i in first.responsibilities]
    assert old not in [i.text for i in second.responsibilities]
    assert new in [i.text for i in second.responsibilities]
    assert second.process[0].name == "Talent Partner Call"
    assert first.ladder_version != second.ladder_version
    assert new.replace("'", "&#x27;") in description_html(second)


def test_publishing_needs_a_location_and_a_last_day_not_past() -> None:
    today = date(2030, 3, 4)
    assert set(publish_problems(PostingFields(), today=today)) == {"posting_location"}
    assert publish_problems(PostingFields(location="  "), today=today)
    late = PostingFields(location="Berlin, Germany", valid_through=date(2030, 3, 3))
    assert set(publish_problems(late, today=today)) == {"posting_valid_through"}
    ok = PostingFields(location="Germany", remote=True, valid_through=today)
    assert publish_problems(ok, today=today) == {}


def test_is_live() -> None:
    today = date(2030, 3, 4)
    assert not is_live(None, None, today=today)
    assert is_live(PUBLISHED, None, today=today)
    assert is_live(PUBLISHED, today, today=today)
    assert not is_live(PUBLISHED, date(2030, 3, 3), today=today)


# --- JSON-LD -------------------------------------------------------------------------

_ISO_DATE = "%Y-%m-%d"


def google_job_posting_problems(data: dict[str, Any]) -> list[str]:
    """What Google's job posting structured data requires (developers.google.com/search/
    docs/appearance/structured-data/job-posting): title, description, datePosted,
    hiringOrganization (with a name), and jobLocation (a Place with a PostalAddress) or,
    for a remote job, jobLocationType TELECOMMUTE with applicantLocationRequirements; when
    present, validThrough an ISO 8601 date and employmentType one of Google's values."""
    problems = []
    if data.get("@context") not in (
        "https://schema.org/",
        "https://schema.org",
        "http://schema.org",
    ):
        problems.append("@context")
    if data.get("@type") != "JobPosting":
        problems.append("@type")
    for name in ("title", "description"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            problems.append(name)
    try:
        datetime.strptime(str(data.get("datePosted")), _ISO_DATE)
    except ValueError:
        problems.append("datePosted")
    org = data.get("hiringOrganization")
    if not isinstance(org, dict) or org.get("@type") != "Organization" or not org.get("name"):
        problems.append("hiringOrganization")
    remote = data.get("jobLocationType") == "TELECOMMUTE"
    if remote:
        req = data.get("applicantLocationRequirements")
        if (
            not isinstance(req, dict)
            or req.get("@type") not in ("Country", "State")
            or not req.get("name")
        ):
            problems.append("applicantLocationRequirements")
    else:
        place = data.get("jobLocation")
        address = place.get("address") if isinstance(place, dict) else None
        if (
            not isinstance(place, dict)
            or place.get("@type") != "Place"
            or not isinstance(address, dict)
            or address.get("@type") != "PostalAddress"
            or not (address.get("addressLocality") or address.get("addressCountry"))
        ):
            problems.append("jobLocation")
    if "validThrough" in data:
        try:
            datetime.fromisoformat(str(data["validThrough"]).replace("Z", "+00:00"))
        except ValueError:
            problems.append("validThrough")
    if "employmentType" in data and data["employmentType"] not in {
        "FULL_TIME",
        "PART_TIME",
        "CONTRACTOR",
        "TEMPORARY",
        "INTERN",
        "VOLUNTEER",
        "PER_DIEM",
        "OTHER",
    }:
        problems.append("employmentType")
    return problems


def _ld(posting: Posting) -> dict[str, Any]:
    return job_posting_json_ld(
        posting,
        url="https://jobs.example.org/jobs/7",
        company_name="Example Corp",
        company_url="https://jobs.example.org",
    )


def test_json_ld_of_an_office_posting_has_googles_required_fields(ladder: Ladder) -> None:
    fields = PostingFields(
        intro="We are growing.\n\nJoin us.",
        location="Berlin, Germany",
        employment_type=EmploymentType.PART_TIME,
        valid_through=date(2030, 6, 30),
    )
    data = _ld(_posting(ladder, fields))
    assert google_job_posting_problems(data) == []
    assert data["title"] == "Senior CSM, EMEA"
    assert data["datePosted"] == "2030-03-04"
    assert data["validThrough"] == "2030-06-30T23:59:59Z"
    assert data["employmentType"] == "PART_TIME"
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Example Corp",
        "sameAs": "https://jobs.example.org",
    }
    assert data["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Berlin",
        "addressCountry": "Germany",
    }
    assert data["identifier"]["value"] == "7"
    assert data["directApply"] is True
    assert "jobLocationType" not in data
    assert "<p>We are growing.</p><p>Join us.</p>" in data["description"]
    assert "<h2>Responsibilities</h2>" in data["description"]


def test_json_ld_of_a_remote_posting(ladder: Ladder) -> None:
    data = _ld(_posting(ladder, PostingFields(location="EMEA", remote=True)))
    assert google_job_posting_problems(data) == []
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "EMEA"}
    assert "jobLocation" not in data
    assert "validThrough" not in data


def test_the_validator_catches_what_google_requires(ladder: Ladder) -> None:
    good = _ld(_posting(ladder))
    for name in ("title", "description", "datePosted", "hiringOrganization", "jobLocation"):
        broken = {k: v for k, v in good.items() if k != name}
        assert name in google_job_posting_problems(broken)
    remote = {**good, "jobLocationType": "TELECOMMUTE"}
    assert "applicantLocationRequirements" in google_job_posting_problems(remote)
    # An unpublished posting (a preview) has no datePosted.
    assert "datePosted" in google_job_posting_problems(_ld(_posting(ladder, published_at=None)))


def test_the_description_escapes_the_recruiters_text(ladder: Ladder) -> None:
    fields = PostingFields(intro="<script>alert(1)</script>", location="Berlin, Germany")
    html = description_html(_posting(ladder, fields))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
