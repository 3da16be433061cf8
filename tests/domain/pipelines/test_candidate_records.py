"""Tags, links, notes and the merge plan of candidate records."""

from __future__ import annotations

import pytest

from pipelines import candidates as rules
from pipelines.candidates import CandidateRuleError, RecordSummary, plan_merge


@pytest.mark.parametrize(
    "raw,tag",
    [
        ("Python", "python"),
        ("  silver medalist ", "silver-medalist"),
        ("C++", "c++"),
        ("C#", "c#"),
        ("node.js", "node.js"),
        ("\uff21\uff37\uff33", "aws"),
    ],
)
def test_tags_are_normalised(raw, tag):
    assert rules.normalise_tag(raw) == tag


@pytest.mark.parametrize("raw", ["", "   ", "-lead", "a" * 51, "naïve", "tag!", "<b>", "a/b"])
def test_bad_tags_are_refused_naming_the_field(raw):
    with pytest.raises(CandidateRuleError) as caught:
        rules.normalise_tag(raw)
    assert caught.value.field == "tag"


def test_tags_are_deduplicated_and_bounded():
    assert rules.normalise_tags(["Go", "go", "GO ", "rust"]) == ["go", "rust"]
    with pytest.raises(CandidateRuleError, match="at most 30 tags"):
        rules.normalise_tags([f"t{n}" for n in range(31)])


@pytest.mark.parametrize(
    "raw",
    ["https://example.org/in/zoe", "http://zoe.dev", "https://git.example.com:8443/z?tab=1"],
)
def test_web_addresses_are_links(raw):
    assert rules.check_link(raw) == raw


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:alert(1)",
        "ftp://example.org/cv",
        "https://",
        "https://localhost/x",
        "example.org",
        "https://exa mple.org",
        "https://user@example.org/",
        "https://example.org/\u202e",
        "https://example.org/" + "a" * 500,
    ],
)
def test_other_links_are_refused(raw):
    with pytest.raises(CandidateRuleError) as caught:
        rules.check_link(raw)
    assert caught.value.field == "links"


def test_links_are_deduplicated_blank_entries_dropped_and_bounded():
    assert rules.check_links(["https://a.org", " ", "https://a.org", "https://b.org"]) == [
        "https://a.org",
        "https://b.org",
    ]
    with pytest.raises(CandidateRuleError, match="at most 10 links"):
        rules.check_links([f"https://{n}.example.org" for n in range(11)])


def test_notes_are_trimmed_and_bounded():
    assert rules.check_notes("  ") is None
    assert rules.check_notes(" met at a meetup ") == "met at a meetup"
    assert rules.check_notes("x" * 10_000) == "x" * 10_000
    with pytest.raises(CandidateRuleError, match="10,000"):
        rules.check_notes("x" * 10_001)


def test_changed_fields_names_only_the_fields():
    before = {"name": "Zoe", "email": "z@example.org", "phone": None}
    after = {"name": "Zoë", "email": "z@example.org", "phone": "+1"}
    assert rules.changed_fields(before, after) == ["name", "phone"]


LABELS = {1: "Casey Lee (casey@example.org)", 2: "Casey Lee (c.lee@example.net)"}


def record(id_: int, applications=None, tags=(), notes=None, has_cv=False, **extra):
    extra.setdefault("label", LABELS.get(id_, f"Person {id_}"))
    return RecordSummary(
        id=id_,
        applications=applications or {},
        tags=frozenset(tags),
        notes=notes,
        has_cv=has_cv,
        **extra,
    )


def test_a_merge_moves_applications_new_tags_notes_and_a_missing_cv():
    kept = record(1, {10: 100}, tags={"python"}, notes="Strong screen")
    merged = record(2, {11: 101, 12: 102}, tags={"python", "go"}, notes="Referred", has_cv=True)
    plan = plan_merge(kept, merged)
    assert plan.allowed
    assert plan.applications == [11, 12]
    assert plan.tags == ["go"]
    assert plan.notes == (
        "Strong screen\n\nFrom the merged record of Casey Lee (c.lee@example.net):\nReferred"
    )
    assert plan.cv is True


def test_the_kept_cv_wins_and_empty_notes_change_nothing():
    plan = plan_merge(record(1, has_cv=True), record(2, has_cv=True))
    assert plan.cv is False
    assert plan.notes is None
    assert plan_merge(record(1), record(2, notes="n")).notes == (
        "From the merged record of Casey Lee (c.lee@example.net):\nn"
    )


def test_two_applications_to_one_requisition_refuse_the_merge():
    plan = plan_merge(
        record(1, {10: 100}, requisition_titles={100: "Senior CSM (Berlin)"}),
        record(2, {11: 100, 12: 101}, requisition_titles={100: "Senior CSM (Berlin)"}),
    )
    assert not plan.allowed
    assert "an application to Senior CSM (Berlin);" in plan.refusals[0]


@pytest.mark.parametrize(
    "kept,merged,words",
    [
        (record(1), record(1), "itself"),
        (record(1, erased=True), record(2), "erased"),
        (
            record(1),
            record(2, merged_into=3, merged_into_label="Casey Lee (casey@old.example)"),
            "is already merged into the record of Casey Lee (casey@old.example)",
        ),
        (
            record(1),
            record(2, has_pending_merges=True),
            "Other records are merged into the record of Casey Lee (c.lee@example.net)",
        ),
        (record(1, notes="a" * 6000), record(2, notes="b" * 6000), "notes"),
        (
            record(1, tags={f"a{n}" for n in range(20)}),
            record(2, tags={f"b{n}" for n in range(11)}),
            "tags",
        ),
    ],
)
def test_refusals(kept, merged, words):
    plan = plan_merge(kept, merged)
    assert not plan.allowed
    assert any(words in refusal for refusal in plan.refusals)
    assert not any("#" in refusal for refusal in plan.refusals)  # names, never ids


def test_a_record_others_are_merged_into_may_still_keep_more():
    assert plan_merge(record(1, has_pending_merges=True), record(2)).allowed
