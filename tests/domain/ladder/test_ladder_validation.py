"""One test per validation rule: each builds a small bad ladder and checks message and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ladder.loader import load_ladder
from ladder.model import Severity
from ladder.writing import dump_family
from tests.domain.ladder.conftest import WriteLadder
from tests.domain.ladder.ladder_testing import base_family, line_of


def errors(folder: Path) -> list[str]:
    result = load_ladder(folder)
    return [
        f"{Path(p.file).name}:{p.line}: {p.message}"
        for p in result.problems
        if p.severity is Severity.ERROR
    ]


def level(family: dict[str, Any], level_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(lv for lv in family["levels"] if lv["id"] == level_id)
    return found


def test_the_base_family_is_valid(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    result = load_ladder(write_ladder(family))
    assert result.ok, result.problems
    assert [lv.id for lv in result.ladder.families[0].levels] == [
        "alpha-junior",
        "alpha-mid",
        "alpha-senior",
        "alpha-manager",
    ]


# -- YAML and files ---------------------------------------------------------------------------


def test_malformed_yaml_is_reported_with_its_line(write_ladder: WriteLadder) -> None:
    folder = write_ladder(texts={"alpha.yaml": "id: alpha\ntitle: Alpha\nlevels: [a, b\n"})
    (message,) = errors(folder)
    assert message.startswith("alpha.yaml:4: malformed YAML:")
    assert "flow sequence" in message


def test_bad_indentation_is_malformed_yaml(write_ladder: WriteLadder) -> None:
    folder = write_ladder(texts={"alpha.yaml": "id: alpha\n  title: Alpha\n"})
    (message,) = errors(folder)
    assert message.startswith("alpha.yaml:2: malformed YAML:")


def test_a_file_that_is_not_a_mapping(write_ladder: WriteLadder) -> None:
    folder = write_ladder(texts={"alpha.yaml": "- a\n- b\n"})
    assert errors(folder) == ["alpha.yaml:1: the top of the file must be a mapping, found a list"]


def test_an_empty_file(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    folder = write_ladder(family, texts={"beta.yaml": "# nothing yet\n"})
    assert errors(folder) == ["beta.yaml:None: the file is empty"]


def test_a_file_that_is_not_utf8(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    folder = write_ladder(family)
    (folder / "beta.yaml").write_bytes(b"id: b\xe9ta\n")
    (message,) = errors(folder)
    assert message.startswith("beta.yaml:None: cannot read file: not UTF-8")


def test_a_folder_without_family_files(tmp_path: Path) -> None:
    assert errors(tmp_path) == [f"{tmp_path.name}:None: no family files (*.yaml) found"]


def test_a_missing_folder(tmp_path: Path) -> None:
    assert errors(tmp_path / "nope") == ["nope:None: not a directory"]


def test_duplicate_keys_in_a_mapping(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    text = dump_family(family).replace("title: Alpha\n", "title: Alpha\ntitle: Beta\n", 1)
    folder = write_ladder(texts={"alpha.yaml": text})
    assert errors(folder) == ["alpha.yaml:3: duplicate key 'title' (first at line 2)"]


def test_merge_keys_are_refused(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    text = dump_family(family).replace("title: Alpha\n", "title: Alpha\n<<: {x: 1}\n", 1)
    folder = write_ladder(texts={"alpha.yaml": text})
    assert errors(folder) == ["alpha.yaml:3: merge keys ('<<') are not supported"]


def test_custom_tags_are_refused(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    text = dump_family(family).replace("title: Alpha\n", "title: !shout Alpha\n", 1)
    folder = write_ladder(texts={"alpha.yaml": text})
    assert errors(folder) == ["alpha.yaml:2: unsupported YAML tag '!shout'"]


def test_a_recursive_alias_is_refused(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    text = dump_family(family) + "notes: &loop\n  - *loop\n"
    folder = write_ladder(texts={"alpha.yaml": text})
    found = errors(folder)
    assert any("recursive alias" in message for message in found), found


# -- keys, types, empties ---------------------------------------------------------------------


def test_unknown_key_with_a_suggestion(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-junior")["gradee"] = 5
    folder = write_ladder(family)
    line = line_of(dump_family(family), "gradee:")
    assert errors(folder) == [
        f"alpha.yaml:{line}: level 'alpha-junior': unknown key 'gradee' (did you mean 'grade'?)"
    ]


def test_unknown_key_without_a_close_match(
    write_ladder: WriteLadder, family: dict[str, Any]
) -> None:
    family["zzz"] = 1
    folder = write_ladder(family)
    assert errors(folder) == [
        f"alpha.yaml:{line_of(dump_family(family), 'zzz:')}: family 'alpha': unknown key 'zzz'"
    ]


def test_missing_required_key(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    del level(family, "alpha-manager")["title"]
    folder = write_ladder(family)
    line = line_of(dump_family(family), "- id: alpha-manager")
    assert f"alpha.yaml:{line}: level 'alpha-manager': missing required key 'title'" in (
        errors(folder)
    )


@pytest.mark.parametrize(
    ("value", "found"),
    [("five", "a string"), (True, "a boolean"), (5.5, "a number"), ([5], "a list")],
)
def test_grade_must_be_an_integer(
    write_ladder: WriteLadder, family: dict[str, Any], value: Any, found: str
) -> None:
    level(family, "alpha-junior")["grade"] = value
    folder = write_ladder(family)
    line = line_of(dump_family(family), "grade:")
    assert errors(folder) == [
        f"alpha.yaml:{line}: level 'alpha-junior': 'grade' must be an integer, found {found}"
    ]


def test_grade_must_be_positive(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-junior")["grade"] = 0
    folder = write_ladder(family)
    assert errors(folder) == [
        f"alpha.yaml:{line_of(dump_family(family), 'grade: 0')}: level 'alpha-junior': "
        "'grade' must be at least 1, found 0"
    ]


def test_title_must_be_a_string(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    family["title"] = 12
    folder = write_ladder(family)
    assert errors(folder) == [
        "alpha.yaml:2: family 'alpha': 'title' must be a string, found an integer"
    ]


def test_empty_required_string(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-mid")["title"] = "  "
    folder = write_ladder(family)
    line = line_of(dump_family(family), "title: '  '")
    assert f"alpha.yaml:{line}: level 'alpha-mid': 'title' must not be empty" in errors(folder)


def test_empty_list(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-mid")["requirements"] = []
    folder = write_ladder(family)
    line = line_of(dump_family(family), "requirements: []")
    assert errors(folder) == [
        f"alpha.yaml:{line}: level 'alpha-mid': 'requirements' must not be an empty list "
        "(omit the key instead)"
    ]


def test_empty_item(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-mid")["responsibilities"] = ["Fine", ""]
    folder = write_ladder(family)
    line = line_of(dump_family(family), "- ''")
    assert errors(folder) == [
        f"alpha.yaml:{line}: level 'alpha-mid': responsibilities[1] must not be empty"
    ]


def test_an_item_mapping_needs_text(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-mid")["responsibilities"] = [{"items": ["a"]}]
    folder = write_ladder(family)
    line = line_of(dump_family(family), "- items:")
    assert errors(folder) == [
        f"alpha.yaml:{line}: level 'alpha-mid': responsibilities[0]: missing required key 'text'"
    ]


def test_an_item_must_be_text(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-mid")["responsibilities"] = [3]
    folder = write_ladder(family)
    line = line_of(dump_family(family), "- 3")
    assert errors(folder) == [
        f"alpha.yaml:{line}: level 'alpha-mid': responsibilities[0] must be a string or a "
        "mapping with 'text', found an integer"
    ]


def test_invalid_id(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    family["specialties"][0]["id"] = "Public Sector"
    folder = write_ladder(family)
    line = line_of(dump_family(family), "id: Public Sector")
    assert errors(folder) == [
        f"alpha.yaml:{line}: specialty: invalid id 'Public Sector': use lowercase letters, "
        "digits and hyphens"
    ]


def test_track_must_be_known(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-junior")["track"] = "individual-contributor"
    folder = write_ladder(family)
    line = line_of(dump_family(family), "individual-contributor")
    assert errors(folder) == [
        f"alpha.yaml:{line}: level 'alpha-junior': 'track' must be one of "
        "individual_contributor, manager, found 'individual-contributor' "
        "(did you mean 'individual_contributor'?)"
    ]


def test_roles_must_be_known(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    family["hiring_process"]["stages"][0]["conducted_by"]["roles"] = ["recruter"]
    folder = write_ladder(family)
    line = line_of(dump_family(family), "roles:")
    assert errors(folder) == [
        f"alpha.yaml:{line}: stage 'screen': conducted_by: roles[0] must be one of recruiter, "
        "hiring_manager, peer, team_member, executive, found 'recruter' "
        "(did you mean 'recruiter'?)"
    ]


def test_duration_must_be_positive(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    family["hiring_process"]["stages"][0]["duration_minutes"] = 0
    folder = write_ladder(family)
    line = line_of(dump_family(family), "duration_minutes")
    assert errors(folder) == [
        f"alpha.yaml:{line}: stage 'screen': 'duration_minutes' must be at least 1, found 0"
    ]


def test_reports_to_needs_levels_or_text(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-junior")["reports_to"] = {}
    folder = write_ladder(family)
    line = line_of(dump_family(family), "reports_to: {}")
    assert errors(folder) == [
        f"alpha.yaml:{line}: level 'alpha-junior': reports_to needs 'levels' or 'text'"
    ]


def test_extends_must_not_be_empty(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-junior")["extends"] = {}
    folder = write_ladder(family)
    line = line_of(dump_family(family), "extends: {}")
    assert errors(folder) == [
        f"alpha.yaml:{line}: level 'alpha-junior': extends must not be empty (omit the key)"
    ]


def test_extends_lists_an_id_twice(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-mid")["extends"]["requirements"] = ["alpha-junior", "alpha-junior"]
    folder = write_ladder(family)
    line = line_of(dump_family(family), "requirements: [alpha-junior, alpha-junior]")
    assert errors(folder) == [
        f"alpha.yaml:{line}: level 'alpha-mid': extends.requirements: 'alpha-junior' is "
        "listed twice"
    ]


def test_a_level_without_responsibilities(
    write_ladder: WriteLadder, family: dict[str, Any]
) -> None:
    del level(family, "alpha-manager")["responsibilities"]
    folder = write_ladder(family)
    line = line_of(dump_family(family), "id: alpha-manager")
    assert errors(folder) == [
        f"alpha.yaml:{line}: level 'alpha-manager' has no responsibilities and extends none; "
        "set defined_elsewhere if another page describes it"
    ]


def test_a_level_defined_elsewhere_needs_no_lists(
    write_ladder: WriteLadder, family: dict[str, Any]
) -> None:
    del level(family, "alpha-manager")["responsibilities"]
    level(family, "alpha-manager")["defined_elsewhere"] = "/job-families/x/"
    assert errors(write_ladder(family)) == []


def test_a_specialty_without_items(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    family["specialties"].append({"id": "bare", "title": "Bare"})
    folder = write_ladder(family)
    line = line_of(dump_family(family), "- id: bare")
    assert errors(folder) == [
        f"alpha.yaml:{line}: specialty 'bare' has no responsibilities, requirements or indicators"
    ]


def test_the_file_name_must_match_the_family_id(write_ladder: WriteLadder) -> None:
    text = dump_family(base_family())
    folder = write_ladder(texts={"other.yaml": text})
    assert errors(folder) == [
        "other.yaml:1: family 'alpha': id does not match the file name 'other'.yaml"
    ]


# -- duplicates ---------------------------------------------------------------------------------


def test_duplicate_level_id_in_a_family(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-manager")["id"] = "alpha-mid"
    folder = write_ladder(family)
    text = dump_family(family)
    first = line_of(text, "id: alpha-mid")
    second = line_of(text, "id: alpha-mid", first + 1)
    assert f"alpha.yaml:{second}: duplicate level id 'alpha-mid' (also at " in (errors(folder)[0])
    assert errors(folder)[0].endswith(f"alpha.yaml:{first})")


def test_duplicate_level_id_across_families(write_ladder: WriteLadder) -> None:
    alpha = base_family("alpha")
    beta = base_family("beta")
    level(beta, "beta-junior")["id"] = "alpha-junior"
    level(beta, "beta-mid")["extends"] = {"responsibilities": ["alpha-junior"]}
    folder = write_ladder(alpha, beta)
    line = line_of(dump_family(beta), "id: alpha-junior")
    assert [m for m in errors(folder) if "duplicate" in m] == [
        f"beta.yaml:{line}: duplicate level id 'alpha-junior' (also at "
        f"{folder / 'alpha.yaml'}:{line})"
    ]


def test_duplicate_family_id(write_ladder: WriteLadder) -> None:
    text = dump_family(base_family("alpha"))
    folder = write_ladder(texts={"alpha.yaml": text, "beta.yaml": text})
    found = errors(folder)
    assert f"beta.yaml:1: duplicate family id 'alpha' (also at {folder / 'alpha.yaml'}:1)" in found
    assert "beta.yaml:1: family 'alpha': id does not match the file name 'beta'.yaml" in found


def test_a_family_and_a_level_share_an_id(
    write_ladder: WriteLadder, family: dict[str, Any]
) -> None:
    level(family, "alpha-manager")["id"] = "alpha"
    folder = write_ladder(family)
    (message,) = [m for m in errors(folder) if "used by" in m]
    assert message.startswith("alpha.yaml:1: id 'alpha' is used by a family and a level")


def test_duplicate_specialty_and_stage_ids(
    write_ladder: WriteLadder, family: dict[str, Any]
) -> None:
    family["specialties"].append({"id": "public", "title": "Again", "requirements": ["x"]})
    stages = family["hiring_process"]["stages"]
    stages.append({"id": "screen", "name": "Again", "text": ["t"]})
    folder = write_ladder(family)
    text = dump_family(family)
    specialty_line = line_of(text, "id: public", line_of(text, "id: public") + 1)
    stage_line = line_of(text, "id: screen", line_of(text, "id: screen") + 1)
    assert errors(folder) == [
        f"alpha.yaml:{specialty_line}: duplicate specialty id 'public' in family 'alpha' "
        f"(also at line {line_of(text, 'id: public')})",
        f"alpha.yaml:{stage_line}: duplicate stage id 'screen' (also at line "
        f"{line_of(text, 'id: screen')})",
    ]


def test_public_sector_may_exist_in_every_family(write_ladder: WriteLadder) -> None:
    assert errors(write_ladder(base_family("alpha"), base_family("beta"))) == []


# -- references -------------------------------------------------------------------------------


def test_unknown_extends_target_with_a_suggestion(
    write_ladder: WriteLadder, family: dict[str, Any]
) -> None:
    level(family, "alpha-mid")["extends"]["responsibilities"] = ["alpha-junor"]
    folder = write_ladder(family)
    line = line_of(dump_family(family), "[alpha-junor]")
    assert errors(folder) == [
        f"alpha.yaml:{line}: level 'alpha-mid': extends.responsibilities: unknown level or "
        "family 'alpha-junor' (did you mean 'alpha-junior'?)"
    ]


def test_unknown_reports_to_level(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-mid")["reports_to"] = {"levels": ["alpha-manger"]}
    folder = write_ladder(family)
    line = line_of(dump_family(family), "[alpha-manger]")
    assert errors(folder) == [
        f"alpha.yaml:{line}: level 'alpha-mid': reports_to.levels: unknown level "
        "'alpha-manger' (did you mean 'alpha-manager'?)"
    ]


def test_unknown_move_targets(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    family["career_ladder"]["moves"] = [
        {"text": "Beta", "family": "betta"},
        {"text": "Own", "family": "alpha", "level": "zeta-lead"},
    ]
    folder = write_ladder(family)
    text = dump_family(family)
    assert errors(folder) == [
        f"alpha.yaml:{line_of(text, 'family: betta')}: family 'alpha': career_ladder: "
        "moves[0]: unknown family 'betta'",
        f"alpha.yaml:{line_of(text, 'level: zeta-lead')}: family 'alpha': career_ladder: "
        "moves[1]: unknown level 'zeta-lead'",
    ]


def test_a_move_level_outside_its_family(write_ladder: WriteLadder) -> None:
    alpha = base_family("alpha")
    alpha["career_ladder"]["moves"] = [{"text": "B", "family": "alpha", "level": "beta-mid"}]
    folder = write_ladder(alpha, base_family("beta"))
    line = line_of(dump_family(alpha), "level: beta-mid")
    assert errors(folder) == [
        f"alpha.yaml:{line}: family 'alpha': career_ladder: moves[0]: level 'beta-mid' is "
        "not in family 'alpha'"
    ]


def test_unknown_competency_set(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    family["competencies"] = "pillars"
    folder = write_ladder(
        family,
        texts={
            "competencies.yaml": dump_family(
                {
                    "sets": [
                        {
                            "id": "pillar",
                            "title": "P",
                            "competencies": [{"id": "a", "name": "A", "description": "d"}],
                        }
                    ]
                }
            )
        },
    )
    line = line_of(dump_family(family), "competencies: pillars")
    assert errors(folder) == [
        f"alpha.yaml:{line}: family 'alpha': unknown competency set 'pillars' "
        "(did you mean 'pillar'?)"
    ]


def test_duplicate_competency(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    comp = {"id": "a", "name": "A", "description": "d"}
    text = dump_family({"sets": [{"id": "s", "title": "S", "competencies": [comp, comp]}]})
    folder = write_ladder(family, texts={"competencies.yaml": text})
    second = line_of(text, "- id: a", line_of(text, "- id: a") + 1)
    assert errors(folder) == [
        f"competencies.yaml:{second}: duplicate competency id 'a' in competency set 's' "
        f"(also at line {line_of(text, '- id: a')})"
    ]


def test_unknown_conducting_level(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    family["hiring_process"]["stages"][0]["conducted_by"]["level"] = "omega"
    folder = write_ladder(family)
    line = line_of(dump_family(family), "level: omega")
    assert errors(folder) == [
        f"alpha.yaml:{line}: stage 'screen': conducted_by: unknown level 'omega'"
    ]


def test_specialty_applies_to_a_level_of_another_family(
    write_ladder: WriteLadder, family: dict[str, Any]
) -> None:
    family["specialties"][0]["applies_to"] = ["alpha-mid", "alpha-midd"]
    folder = write_ladder(family)
    line = line_of(dump_family(family), "applies_to")
    assert errors(folder) == [
        f"alpha.yaml:{line}: specialty 'public': applies_to names 'alpha-midd', which is not "
        "a level of family 'alpha' (did you mean 'alpha-mid'?)"
    ]


def test_unknown_measure_segment(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    family["expectations"] = {
        "title": "Table",
        "items": [
            {
                "id": "plans",
                "title": "Plans",
                "context": ["Why"],
                "measures": [{"text": "Every one", "segments": ["publik"]}],
            }
        ],
    }
    folder = write_ladder(family)
    line = line_of(dump_family(family), "segments:")
    assert errors(folder) == [
        f"alpha.yaml:{line}: expectation 'plans': measures[0]: unknown segment 'publik': "
        "segments are the family's specialties (did you mean 'public'?)"
    ]


def test_extends_a_family_without_that_list(
    write_ladder: WriteLadder, family: dict[str, Any]
) -> None:
    level(family, "alpha-senior")["extends"]["requirements"] = ["alpha-mid", "alpha"]
    folder = write_ladder(family)
    line = line_of(dump_family(family), "requirements: [alpha-mid, alpha]")
    assert errors(folder) == [
        f"alpha.yaml:{line}: level 'alpha-senior': extends.requirements names family 'alpha', "
        "which has no family-level requirements"
    ]


# -- graph rules ------------------------------------------------------------------------------


def test_extends_cycle_is_reported_once(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-junior")["grade"] = 7
    level(family, "alpha-mid")["grade"] = 7
    level(family, "alpha-junior")["extends"] = {"responsibilities": ["alpha-senior"]}
    folder = write_ladder(family)
    text = dump_family(family)
    line = line_of(text, "responsibilities: [alpha-senior]")
    assert errors(folder) == [
        f"alpha.yaml:{line}: extends cycle in responsibilities: "
        "alpha-junior -> alpha-senior -> alpha-mid -> alpha-junior"
    ]


def test_a_level_extending_itself(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-junior")["extends"] = {"requirements": ["alpha-junior"]}
    folder = write_ladder(family)
    line = line_of(dump_family(family), "requirements: [alpha-junior]")
    assert errors(folder) == [
        f"alpha.yaml:{line}: extends cycle in requirements: alpha-junior -> alpha-junior"
    ]


def test_grade_below_the_extended_level(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-mid")["grade"] = 4
    folder = write_ladder(family)
    text = dump_family(family)
    start = line_of(text, "id: alpha-mid")
    assert errors(folder) == [
        f"alpha.yaml:{line_of(text, 'responsibilities: [alpha-junior]', start)}: level "
        "'alpha-mid' (grade 4) extends 'alpha-junior' (grade 5) in responsibilities: its grade "
        "is below the level it extends",
        f"alpha.yaml:{line_of(text, 'requirements: [alpha-junior]', start)}: level "
        "'alpha-mid' (grade 4) extends 'alpha-junior' (grade 5) in requirements: its grade "
        "is below the level it extends",
    ]


def test_reporting_to_the_same_grade_is_allowed(
    write_ladder: WriteLadder, family: dict[str, Any]
) -> None:
    level(family, "alpha-manager")["grade"] = 6
    assert errors(write_ladder(family)) == []


def test_reports_to_a_lower_grade(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-manager")["grade"] = 5
    folder = write_ladder(family)
    text = dump_family(family)
    mid_line = line_of(text, "levels: [alpha-manager]", line_of(text, "id: alpha-mid"))
    assert errors(folder) == [
        f"alpha.yaml:{mid_line}: level 'alpha-mid' (grade 6) reports to 'alpha-manager' "
        "(grade 5): the reports-to chain goes down in grade"
    ]


def test_reports_to_cycle(write_ladder: WriteLadder, family: dict[str, Any]) -> None:
    level(family, "alpha-manager")["reports_to"] = {"levels": ["alpha-manager"]}
    folder = write_ladder(family)
    line = line_of(
        dump_family(family),
        "levels: [alpha-manager]",
        line_of(dump_family(family), "id: alpha-manager"),
    )
    assert errors(folder) == [
        f"alpha.yaml:{line}: reports-to cycle: alpha-manager -> alpha-manager"
    ]


# -- all at once, and notes ---------------------------------------------------------------------


def test_every_problem_is_reported_at_once(
    write_ladder: WriteLadder, family: dict[str, Any]
) -> None:
    level(family, "alpha-junior")["gradee"] = 5
    level(family, "alpha-mid")["track"] = "ic"
    level(family, "alpha-senior")["extends"]["responsibilities"] = ["alpha-nobody"]
    family["hiring_process"]["stages"][0]["duration_minutes"] = "half an hour"
    beta = base_family("beta")
    beta["levels"][0]["id"] = "alpha-junior"
    folder = write_ladder(family, beta, texts={"gamma.yaml": "id: [\n"})
    found = errors(folder)
    expected_fragments = [
        "unknown key 'gradee'",
        "'track' must be one of",
        "unknown level or family 'alpha-nobody'",
        "'duration_minutes' must be an integer, found a string",
        "duplicate level id 'alpha-junior'",
        "gamma.yaml:2: malformed YAML",
    ]
    for fragment in expected_fragments:
        assert any(fragment in message for message in found), (fragment, found)


def test_notes_are_listed_with_their_lines(
    write_ladder: WriteLadder, family: dict[str, Any]
) -> None:
    level(family, "alpha-mid")["notes"] = ["Grade sentence names the wrong role."]
    family["notes"] = ["Typos kept."]
    folder = write_ladder(family)
    text = dump_family(family)
    result = load_ladder(folder)
    assert result.ok
    assert [(p.line, p.message) for p in result.notes] == [
        (
            line_of(text, "Grade sentence"),
            "level 'alpha-mid': Grade sentence names the wrong role.",
        ),
        (line_of(text, "Typos kept."), "family 'alpha': Typos kept."),
    ]
    assert str(result.notes[1]).endswith(
        f":{line_of(text, 'Typos kept.')}: note: family 'alpha': Typos kept."
    )


def test_other_lists_are_read_into_the_model(
    write_ladder: WriteLadder, family: dict[str, Any]
) -> None:
    level(family, "alpha-mid")["other_lists"] = [
        {"title": "Projects you might work on", "items": ["Docs", {"text": "A", "items": ["b"]}]}
    ]
    family["other_lists"] = [{"title": "Working here", "items": ["Remote"]}]
    result = load_ladder(write_ladder(family))
    assert result.ok, result.problems
    built = result.ladder.families[0]
    [projects] = result.ladder.level("alpha-mid").other_lists
    assert projects.title == "Projects you might work on"
    assert [(i.text, i.items) for i in projects.items] == [("Docs", ()), ("A", ("b",))]
    assert [o.title for o in built.other_lists] == ["Working here"]
    assert result.ladder.level("alpha-junior").other_lists == ()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "level 'alpha-mid': 'other_lists' must not be an empty list (omit the key instead)"),
        (
            [{"title": "Projects"}],
            "level 'alpha-mid': other_lists[0]: missing required key 'items'",
        ),
        (
            [{"title": "Projects", "items": []}],
            "level 'alpha-mid': other_lists[0]: 'items' must not be an empty list "
            "(omit the key instead)",
        ),
        (
            [{"title": "Projects", "items": ["x"], "kind": "extra"}],
            "level 'alpha-mid': other_lists[0]: unknown key 'kind'",
        ),
        (["Projects"], "level 'alpha-mid': other_lists[0] must be a mapping, found a string"),
    ],
)
def test_bad_other_lists_are_reported(
    write_ladder: WriteLadder, family: dict[str, Any], value: Any, message: str
) -> None:
    level(family, "alpha-mid")["other_lists"] = value
    found = errors(write_ladder(family))
    assert any(line.endswith(message) for line in found), found
