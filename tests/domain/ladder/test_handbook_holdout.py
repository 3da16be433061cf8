"""Page structures found on job-family pages outside the corpus the importer was built on:
an opening section holding the family's lists, a level titled by a plain line under a
generic heading, a topic heading ending in "Reporting", a reports-to written as
"Reporting to the X, the Y ...", a level's own hiring process before the family's.  Each
on a small page written for the test."""

from __future__ import annotations

from ladder.handbook import export_mapping, import_text
from ladder.handbook.phrases import Kind, classify_heading, find_reports_to


def levels_of(data):
    return {lv["title"]: lv for lv in data["levels"]}


def test_an_opening_section_with_the_lists_of_all_roles_is_the_familys():
    page = (
        "---\ntitle: Widget Engineering\n---\n\n"
        "## Widget Engineering Roles at Example\n\n"
        "All widget roles share the following requirements and responsibilities:\n\n"
        "### Requirements\n\n- Widgets\n- Gadgets\n\n"
        "### Responsibilities\n\n- Build widgets\n\n"
        "## Job Grades\n\n### Senior Widget Engineer\n\n"
        "The Senior Widget Engineer is a grade 7.\n"
    )
    data = import_text(page, "w.md").data
    assert [lv["title"] for lv in data["levels"]] == ["Senior Widget Engineer"]
    assert data["levels"][0]["grade"] == 7
    assert data["requirements"] == ["Widgets", "Gadgets"]
    assert data["responsibilities"] == ["Build widgets"]


def test_an_opening_section_with_a_list_of_levels_is_not_a_level():
    page = (
        "---\ntitle: Widget Roles\n---\n\n"
        "## Widget Maker AMER/EMEA\n\nThe Widget Maker makes widgets in a region.\n\n"
        "### Responsibilities\n\n- Make widgets\n\n"
        "### Requirements\n\n- Hands\n\n"
        "### Levels\n\n- Widget Maker\n- Senior Widget Maker\n\n"
        "## Widget Maker\n\n### Job Grade\n\nThe Widget Maker is a grade 6.\n\n"
        "### Responsibilities\n\n- Make more widgets\n\n"
        "## Senior Widget Maker\n\n### Job Grade\n\nThe Senior Widget Maker is a grade 7.\n\n"
        "### Responsibilities\n\n- Make the best widgets\n"
    )
    data = import_text(page, "w.md").data
    assert [lv["title"] for lv in data["levels"]] == ["Widget Maker", "Senior Widget Maker"]
    assert data["responsibilities"] == ["Make widgets"]
    assert data["requirements"] == ["Hands"]
    assert levels_of(data)["Widget Maker"]["responsibilities"] == ["Make more widgets"]


def test_a_level_titled_by_a_plain_line_under_a_generic_heading():
    page = (
        "---\ntitle: Absence\n---\n\n## Levels\n\n### Absence Specialist\n\n"
        "The Absence Specialist reports to the Manager, Absence.\n\n"
        "### Absence Specialist Job Grade\n\nThe Absence Specialist is a grade 5.\n\n"
        "### Absence Specialist Responsibilities\n\n- Track leave\n\n"
        "## Role\n\nSenior Absence Specialist\n"
        "The Senior Absence Specialist reports to the Manager, Absence.\n\n"
        "### Job Grade\n\nThe Senior Absence Specialist is a grade 6.\n\n"
        "### Responsibilities\n\n- Track all leave\n- Answer questions\n\n"
        "### Requirements\n\n- Care\n"
    )
    data = import_text(page, "a.md").data
    assert [lv["title"] for lv in data["levels"]] == [
        "Absence Specialist",
        "Senior Absence Specialist",
    ]
    senior = levels_of(data)["Senior Absence Specialist"]
    assert senior["grade"] == 6
    assert senior["responsibilities"] == ["Track all leave", "Answer questions"]
    assert senior["requirements"] == ["Care"]
    assert not data.get("responsibilities")
    assert not data.get("requirements")


def test_a_topic_heading_ending_in_reporting_is_not_a_reports_to_heading():
    assert classify_heading("Post Campaign Reporting") == (Kind.OTHER, "Post Campaign Reporting")
    assert classify_heading("Reporting Line")[0] is Kind.REPORTS_TO
    assert classify_heading("Reports to")[0] is Kind.REPORTS_TO


def test_a_participle_reports_to_sentence():
    text = (
        "Reporting to the Senior Manager of Regional Marketing, the Associate Field "
        "Marketing Manager will support Field Marketing Managers."
    )
    assert find_reports_to(text) == (
        "Associate Field Marketing Manager",
        "Senior Manager of Regional Marketing",
    )


def test_a_reports_to_target_ends_before_a_relative_clause_and_role_at():
    assert find_reports_to(
        "The Senior X will report into the Manager of Field Marketing for which region "
        "they report into."
    ) == ("Senior X", "Manager of Field Marketing")
    assert find_reports_to(
        "This position reports to the Security Manager, Application Security role at GitLab."
    ) == ("", "Security Manager, Application Security")


def test_the_reporting_list_of_a_level_is_its_list_and_its_reports_to_comes_from_the_text():
    page = (
        "---\ntitle: Marketer\n---\n\n## Associate Marketer\n\n"
        "Reporting to the Manager of Marketing, the Associate Marketer will help.\n\n"
        "### Job Grade\n\nThe Associate Marketer is a grade 5.\n\n"
        "### Post Campaign Reporting\n\n- Clean lead lists and report feedback\n- Close out\n"
    )
    level = import_text(page, "m.md").data["levels"][0]
    assert level["reports_to"]["text"] == "Manager of Marketing"
    assert level["other_lists"] == [
        {
            "title": "Post Campaign Reporting",
            "items": ["Clean lead lists and report feedback", "Close out"],
        }
    ]


def test_a_levels_own_hiring_process_before_the_familys_stays_the_levels():
    page = (
        "---\ntitle: Analyst\n---\n\n## Analyst\n\nThe Analyst is a grade 6.\n\n"
        "### Responsibilities\n\n- Analyse\n\n"
        "### Hiring Process\n\n- Screening call with a recruiter\n\n"
        "## Senior Analyst\n\nThe Senior Analyst is a grade 7.\n\n"
        "### Responsibilities\n\n- Analyse more\n\n"
        "## Hiring Process\n\n- Screening call with a recruiter\n"
        "- Interview with the hiring manager\n- Interview with a peer\n"
    )
    data = import_text(page, "h.md").data
    assert len(data["hiring_process"]["stages"]) == 3
    analyst = levels_of(data)["Analyst"]
    assert analyst["other_lists"] == [
        {"title": "Hiring Process", "items": ["Screening call with a recruiter"]}
    ]


def test_a_levels_hiring_process_named_after_it_survives_the_export():
    page = (
        "---\ntitle: Pricing\n---\n\n## Levels\n\n### Pricing Analyst\n\n"
        "The Pricing Analyst is a grade 6.\n\n#### Pricing Analyst Responsibilities\n\n"
        "- Price\n\n#### Pricing Analyst Hiring Process\n\n- Screening call\n- Interview\n\n"
        "### Director of Pricing\n\nThe Director of Pricing is a grade 10.\n\n"
        "#### Director of Pricing Responsibilities\n\n- Lead\n\n"
        "#### Director of Pricing Hiring Process\n\n- Screening call\n- Deep dive\n"
    )
    result = import_text(page, "p.md")
    again = import_text(export_mapping(result.data), "again.md")
    placed = {(p.where, p.title, p.kind, p.text) for p in result.report.placements}
    kept = {(p.where, p.title, p.kind, p.text) for p in again.report.placements}
    own = {p for p in placed if p[2] == "Director of Pricing Hiring Process"}
    assert len(own) == 2
    assert own <= kept


def test_a_reports_to_names_the_level_with_its_words_in_the_same_order():
    page = (
        "---\ntitle: Renewals\n---\n\n"
        "## Associate Renewals Manager\n\nThe Associate Renewals Manager reports to the "
        "Manager, Renewals or Senior Manager, Renewals.\n\n### Responsibilities\n\n- Renew\n\n"
        "## Renewals Manager\n\nThe Renewals Manager reports to the Manager, Renewals.\n\n"
        "### Responsibilities\n\n- Renew more\n\n"
        "## Senior Renewals Manager\n\nThe Senior Renewals Manager reports to the "
        "Manager, Renewals or Senior Manager, Renewals.\n\n### Responsibilities\n\n- Renew most\n\n"
        "## Manager, Renewals\n\nThe Manager, Renewals reports to the Director.\n\n"
        "### Responsibilities\n\n- Manage\n\n"
        "## Senior Manager, Renewals\n\nThe Senior Manager, Renewals reports to the Director."
        "\n\n### Responsibilities\n\n- Manage more\n"
    )
    levels = {lv["id"]: lv for lv in import_text(page, "r.md").data["levels"]}
    assert levels["associate-renewals-manager"]["reports_to"]["levels"] == [
        "manager-renewals",
        "senior-manager-renewals",
    ]
    assert levels["renewals-manager"]["reports_to"]["levels"] == ["manager-renewals"]
    assert levels["senior-renewals-manager"]["reports_to"]["levels"] == [
        "manager-renewals",
        "senior-manager-renewals",
    ]


def test_a_reports_to_never_names_a_level_of_a_lower_grade():
    page = (
        "---\ntitle: Marketing\n---\n\n"
        "## Marketing Manager\n\n### Job Grade\n\nThe Marketing Manager is a grade 6.\n\n"
        "### Responsibilities\n\n- Market\n\n"
        "## Senior Marketing Manager\n\nThe Senior Marketing Manager will report into the "
        "Manager of Marketing for which region they report into.\n\n"
        "### Job Grade\n\nThe Senior Marketing Manager is a grade 7.\n\n"
        "### Responsibilities\n\n- Market more\n"
    )
    result = import_text(page, "m.md")
    senior = levels_of(result.data)["Senior Marketing Manager"]
    assert senior["reports_to"] == {"text": "Manager of Marketing"}
    assert any("lower grade" in w.message for w in result.warnings)


def test_inheritance_sentences_extends_to_that_of_and_the_same_kind_of():
    page = (
        "---\ntitle: Security\n---\n\n## Levels\n\n"
        "### Associate Renewals Manager\n\nThe Associate Renewals Manager is a grade 5.\n\n"
        "#### Responsibilities\n\n- Renew\n\n"
        "### Renewals Manager\n\nThe Renewals Manager is a grade 6.\n\n"
        "#### Responsibilities\n\n- Extends to that of an Associate Renewal Manager\n"
        "- Renew more\n\n"
        "### Security Manager, Application Security\n\n"
        "The Application Security Manager is a grade 8.\n\n"
        "#### Responsibilities\n\n- Hire\n\n"
        "### Application Security Senior Manager\n\n"
        "The Application Security Senior Manager is a grade 9.\n\n"
        "#### Responsibilities\n\n"
        "- The [same responsibilities of a Application Security Manager](#responsibilities-1),"
        " plus the below:\n- Lead\n"
    )
    levels = {lv["id"]: lv for lv in import_text(page, "s.md").data["levels"]}
    assert levels["renewals-manager"]["extends"] == {
        "responsibilities": ["associate-renewals-manager"]
    }
    assert levels["renewals-manager"]["responsibilities"] == ["Renew more"]
    senior = levels["application-security-senior-manager"]
    assert senior["extends"] == {"responsibilities": ["security-manager-application"]}
    assert senior["responsibilities"] == ["Lead"]


def test_an_inheritance_sentence_naming_a_title_with_a_comma():
    page = (
        "---\ntitle: Regional Marketing\n---\n\n"
        "## Manager, Regional Marketing\n\nThe Manager, Regional Marketing is a grade 8.\n\n"
        "### Requirements\n\n- Lead a region\n\n"
        "## Senior Manager, Regional Marketing\n\n"
        "In addition to meeting all of the requirements of a Manager, Regional Marketing, "
        "the Senior Manager will have the following:\n\n"
        "### Job Grade\n\nThe Senior Manager, Regional Marketing is a grade 9.\n\n"
        "### Requirements\n\n- Lead regions\n"
    )
    levels = {lv["id"]: lv for lv in import_text(page, "r.md").data["levels"]}
    senior = levels["senior-manager-regional-marketing"]
    assert senior["extends"] == {"requirements": ["manager-regional-marketing"]}
    assert senior["requirements"] == ["Lead regions"]


def test_words_after_a_comma_that_make_no_title_are_never_kept_as_a_fragment():
    page = (
        "---\ntitle: Regional Marketing\n---\n\n"
        "## Manager\n\nThe Manager is a grade 8.\n\n### Requirements\n\n- Lead\n\n"
        "## Senior Manager\n\nThe Senior Manager is a grade 9.\n\n### Requirements\n\n"
        "- In addition to meeting all of the requirements of a Manager, Field Work, the "
        "Senior Manager will have the following\n- Lead more\n"
    )
    result = import_text(page, "r.md")
    senior = levels_of(result.data)["Senior Manager"]
    texts = [t for t in senior["requirements"] if isinstance(t, str)]
    assert not any(t.startswith("Field Work") for t in texts)
    assert "Lead more" in texts
