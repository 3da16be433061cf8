"""Phrases of job-family pages: section kinds, grades, inheritance, reports-to, titles."""

from __future__ import annotations

import pytest

from ladder.handbook.phrases import (
    Kind,
    classify_heading,
    find_grade,
    find_reports_to,
    grade_subject,
    parse_inheritance,
    sentences,
    split_alternatives,
)
from ladder.handbook.stages import find_duration
from ladder.handbook.titles import Abbreviations, level_slug, slugify, title_tokens


@pytest.mark.parametrize(
    ("heading", "kind", "rest"),
    [
        ("Responsibilities", Kind.RESPONSIBILITIES, ""),
        ("Associate CSM Responsibilities", Kind.RESPONSIBILITIES, "Associate CSM"),
        ("Senior Backend Engineer Requirements", Kind.REQUIREMENTS, "Senior Backend Engineer"),
        ("Requirements for the Staff Designer", Kind.REQUIREMENTS, "Staff Designer"),
        ("Qualifications", Kind.REQUIREMENTS, ""),
        ("Base Requirements Across All Levels", Kind.REQUIREMENTS, ""),
        ("Responsibilties", Kind.RESPONSIBILITIES, ""),  # misspelt
        ("Senior Writer Requirments", Kind.REQUIREMENTS, "Senior Writer"),
        ("Expectations", Kind.OTHER, "Expectations"),  # another list, not responsibilities
        ("Projects you might work on", Kind.OTHER, "Projects you might work on"),
        ("Staff CSM Performance Indicators", Kind.PERFORMANCE_INDICATORS, "Staff CSM"),
        ("KPIs", Kind.PERFORMANCE_INDICATORS, ""),
        ("Associate CSM Job Grade", Kind.JOB_GRADE, "Associate CSM"),
        ("Job Grade", Kind.JOB_GRADE, ""),
        ("Market Justification", Kind.MARKET_JUSTIFICATION, ""),
        ("Nice-to-haves", Kind.NICE_TO_HAVE, ""),
        ("Levels", Kind.LEVELS, ""),
        ("Job Levels", Kind.LEVELS, ""),
        ("Specialties", Kind.SPECIALTIES, ""),
        ("Specializations", Kind.SPECIALTIES, ""),
        ("Career Ladder", Kind.CAREER_LADDER, ""),
        ("Hiring Process", Kind.HIRING_PROCESS, ""),
        ("Director of Customer Success", Kind.OTHER, "Director of Customer Success"),
        ("Intermediate Level", Kind.OTHER, "Intermediate Level"),
        ("Peer Interview", Kind.OTHER, "Peer Interview"),
    ],
)
def test_classify_heading(heading, kind, rest):
    assert classify_heading(heading) == (kind, rest)


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("The Associate CSM is a job grade level 5.", 5),
        ("The CSM (Intermediate) is a grade 6.", 6),
        ("The Vice President of CSM is a job grade 12.", 12),
        ("Grade 7", 7),
        ("grade 7", 7),
        ("is a grade 7", 7),
        ("Job Grade: 7", 7),
        ("Job grade #8", 8),
        ("This role is at grade 8", 8),
        ("Nothing here", None),
        ("Level 3 support", None),
    ],
)
def test_find_grade(text, grade):
    assert find_grade(text) == grade


def test_a_bare_number_is_a_grade_only_where_a_grade_is_expected():
    assert find_grade("7") is None
    assert find_grade("7", bare=True) == 7
    assert find_grade("level 9.", bare=True) == 9


def test_grade_subject_names_the_role_of_the_sentence():
    assert grade_subject("The Director of CSM is a job grade level 11.") == "Director of CSM"
    assert grade_subject("Senior Support Engineers are a grade 7. They report to X.") == (
        "Senior Support Engineers"
    )
    assert grade_subject("This role is a grade 7.") is None
    assert grade_subject("Grade 7") is None


@pytest.mark.parametrize(
    ("text", "refs", "kind_word", "rest"),
    [
        (
            "Extends the CSM (Associate) responsibilities",
            ("CSM (Associate)",),
            "responsibilities",
            "",
        ),
        (
            "Extends that of the Director of CSM requirements",
            ("Director of CSM",),
            "requirements",
            "",
        ),
        (
            "Extends the Sr. Director of CSM responsibilities",
            ("Sr Director of CSM",),
            "responsibilities",
            "",
        ),
        ("Extends the Manager, CSM requirements", ("Manager, CSM",), "requirements", ""),
        ("Extends the Customer Success KPIs articulated here", ("Customer Success",), "kpis", ""),
        (
            "Includes all responsibilities of the Intermediate and Senior Customer Success "
            "Architect (CSA) roles and expands on that in the following ways:",
            (
                "Intermediate Customer Success Architect (CSA)",
                "Senior Customer Success Architect (CSA)",
            ),
            "roles",
            "",
        ),
        (
            "Meets the requirements of the Intermediate Customer Success Architect (CSA) role "
            "and the following requirements:",
            ("Intermediate Customer Success Architect (CSA)",),
            "role",
            "",
        ),
        ("Everything in Senior Backend Engineer, plus:", ("Senior Backend Engineer",), "", ""),
        (
            "Everything from the Intermediate level, plus the following:",
            ("Intermediate",),
            "level",
            "",
        ),
        ("Same as Intermediate", ("Intermediate",), "", ""),
        ("Same as the Senior Backend Engineer role.", ("Senior Backend Engineer",), "role", ""),
        (
            "Includes all of the responsibilities of the Senior Product Designer",
            ("Senior Product Designer",),
            "",
            "",
        ),
        (
            "All of the Senior Backend Engineer requirements, plus",
            ("Senior Backend Engineer",),
            "requirements",
            "",
        ),
        (
            "Builds on the Senior Support Engineer responsibilities",
            ("Senior Support Engineer",),
            "responsibilities",
            "",
        ),
    ],
)
def test_parse_inheritance(text, refs, kind_word, rest):
    found = parse_inheritance(text)
    assert found is not None
    assert (found.refs, found.kind_word, found.rest, found.corresponding) == (
        refs,
        kind_word,
        rest,
        False,
    )


@pytest.mark.parametrize(
    ("text", "refs", "rest"),
    [
        (
            "Extends the corresponding Customer Success Manager level responsibilities:",
            ("Customer Success Manager",),
            "",
        ),
        (
            "In addition to the corresponding Customer Success Leadership level requirements:",
            ("Customer Success Leadership",),
            "",
        ),
        (
            "Extends the corresponding Customer Success Leadership level responsibilities, working "
            "exclusively with Public Sector customers",
            ("Customer Success Leadership",),
            "working exclusively with Public Sector customers",
        ),
        ("In addition to the corresponding level responsibilities:", (), ""),
    ],
)
def test_corresponding_level_sentences(text, refs, rest):
    found = parse_inheritance(text)
    assert found is not None and found.corresponding
    assert (found.refs, found.rest) == (refs, rest)


@pytest.mark.parametrize(
    ("text", "continues"),
    [
        # Words that only close the sentence are no item.
        ("Everything in the Senior role (Grade 7) plus:", False),
        ("Extends the Senior Backend Engineer (Intermediate) plus", False),
        # Words that go on with the sentence: the item is kept whole, never a fragment.
        ("Extends the Senior Writer responsibilities with a company-wide scope", True),
        # "The X responsibilities, plus ...": the reference, then what comes below it.
        ("The Intermediate responsibilities, plus the responsibilities below:", False),
        ("The Senior responsibilities, plus mentoring", True),
    ],
)
def test_what_follows_a_reference_is_never_a_fragment(text, continues):
    found = parse_inheritance(text)
    assert found is not None
    assert (found.rest, found.continues) == ("", continues)


@pytest.mark.parametrize(
    "text", ["Own a book of assigned customers", "Extends", "Same as", "Extends the"]
)
def test_ordinary_bullets_are_not_inheritance(text):
    assert parse_inheritance(text) is None


def test_all_the_same_is_not_a_corresponding_level():
    found = parse_inheritance("All the same customers are served")
    assert found is not None and not found.corresponding and not found.kind_word


@pytest.mark.parametrize(
    ("text", "subject", "target"),
    [
        (
            "The Associate CSM reports to the Manager/Senior Manager, CSM",
            "Associate CSM",
            "Manager/Senior Manager, CSM",
        ),
        (
            "The Manager, CSM, reports to the Director of Customer Success Managers.",
            "Manager, CSM",
            "Director of Customer Success Managers",
        ),
        (
            "Support Engineers (Intermediate) are grade 6 and report to the Support Manager.",
            "Support Engineers (Intermediate)",
            "Support Manager",
        ),
        (
            "Senior Support Engineers are a grade 7. They report to the Support Manager.",
            "",
            "Support Manager",
        ),
        ("In this role, the Senior X reports directly to the VP of X.", "Senior X", "VP of X"),
    ],
)
def test_find_reports_to(text, subject, target):
    assert find_reports_to(text) == (subject, target)


def test_sentences_do_not_end_at_abbreviations():
    assert sentences("Extends the Sr. Director role. Next one, e.g. this.") == [
        "Extends the Sr. Director role.",
        "Next one, e.g. this.",
    ]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Manager/Senior Manager, CSM", ["Manager, CSM", "Senior Manager, CSM"]),
        (
            "Manager/Senior Manager/Director, Success Services",
            [
                "Manager, Success Services",
                "Senior Manager, Success Services",
                "Director, Success Services",
            ],
        ),
        (
            "Intermediate and Senior Product Designer",
            ["Intermediate Product Designer", "Senior Product Designer"],
        ),
        ("VP of Customer Success", ["VP of Customer Success"]),
    ],
)
def test_split_alternatives(text, parts):
    assert split_alternatives(text) == parts


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("a 30 minute screening call", 30),
        ("a 45-minute call", 45),
        ("lasts one hour", 60),
        ("an hour", 60),
        ("half an hour", 30),
        ("no time given", None),
    ],
)
def test_find_duration(text, minutes):
    assert find_duration(text) == minutes


def test_slugify():
    assert slugify("Customer Success Management") == "customer-success-management"
    assert slugify("Adoption & Expansion") == "adoption-and-expansion"
    assert slugify("Engineer's Café — Senior") == "engineers-cafe-senior"
    assert slugify("***") == ""


def test_abbreviations_defined_and_used_by_a_page():
    page = (
        "The Customer Success Management (CSM) team. A Customer Success Engineer (CSE) helps. "
        "CS-related metrics."
    )
    abbreviations = Abbreviations.from_text(page)
    assert abbreviations.defined == {
        "customer success management": "CSM",
        "customer success engineer": "CSE",
    }
    assert abbreviations.uses("CS") and abbreviations.uses("CSM")
    assert not abbreviations.uses("SS")
    assert abbreviations.shorten("Director of Customer Success Management") == "Director of CSM"
    assert abbreviations.shorten("VP of Customer Success") == "VP of CS"
    assert abbreviations.shorten("Manager, Success Services") == "Manager, Success Services"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Associate Customer Success Manager (CSM)", "associate-csm"),
        ("Customer Success Manager (CSM) (Intermediate)", "csm"),
        ("Director of Customer Success Management", "director-csm"),
        ("Vice President of Customer Success Management", "vp-csm"),
        ("Senior Customer Success Engineer", "senior-cse"),
        ("Manager, Success Services", "manager-success-services"),
        ("Backend Engineer (Intermediate)", "backend-engineer"),
        ("Senior Backend Engineer", "senior-backend-engineer"),
        ("Director of CSMs", "director-csm"),
    ],
)
def test_level_slug(title, slug):
    page = "Customer Success Management (CSM) and Customer Success Engineer (CSE); CS team"
    assert level_slug(title, Abbreviations.from_text(page)) == slug


def test_title_tokens_fold_synonyms_plurals_and_abbreviations():
    abbreviations = Abbreviations.from_text("Customer Success Manager (CSM)")
    assert title_tokens("Sr. Director of CSMs") == title_tokens("Senior Director of CSM")
    assert title_tokens("Vice President, Sales") == title_tokens("VP of Sales")
    assert title_tokens("Support Engineers") == title_tokens("Support Engineer")
    assert title_tokens("CSM (Associate)", abbreviations) == title_tokens(
        "Associate Customer Success Manager (CSM)", abbreviations
    )


def test_alternatives_are_not_split_inside_parentheses():
    assert split_alternatives("Manager, International Payroll (EMEA/APAC/LATAM)") == [
        "Manager, International Payroll (EMEA/APAC/LATAM)"
    ]
    assert split_alternatives("Manager/Senior Manager, Payroll (US/Canada)") == [
        "Manager, Payroll (US/Canada)",
        "Senior Manager, Payroll (US/Canada)",
    ]


def test_the_role_is_no_subject():
    assert grade_subject("The role is a grade 6.") is None
