"""The scorecard focus of a stage is data: ``scorecard_focus`` in the family's file."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from ladder.loader import DATA_DIR, load_ladder
from pipelines.errors import FocusError
from pipelines.focus import family_focus
from pipelines.plan import StageKind
from pipelines.scorecards import CriterionSource, criteria_for


def ladder_with_focus(tmp_path: Path, stage_id: str, focus: object):
    for path in DATA_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    path = tmp_path / "customer-success-management.yaml"
    data = yaml.safe_load(path.read_text())
    data = copy.deepcopy(data)
    for stage in data["hiring_process"]["stages"]:
        if stage["id"] == stage_id:
            stage["scorecard_focus"] = focus
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return load_ladder(tmp_path)


def test_the_shipped_data_keeps_the_defaults():
    ladder = load_ladder().ladder
    peer = criteria_for(
        ladder,
        "senior-csm",
        None,
        StageKind.PEER,
        stage_id="peer-interview",
        focus=family_focus(ladder, "customer-success-management"),
    )
    assert any(c.source is CriterionSource.COMPETENCY for c in peer)
    assert any(c.source is CriterionSource.REQUIREMENT for c in peer)


def test_a_stage_focus_in_the_data_narrows_its_scorecards(tmp_path):
    result = ladder_with_focus(tmp_path, "peer-interview", ["competency:communication"])
    assert result.ok, result.errors
    ladder = result.ladder
    stage = next(
        s
        for s in ladder.family("customer-success-management").hiring_process.stages
        if s.id == "peer-interview"
    )
    assert stage.scorecard_focus == ("competency:communication",)
    peer = criteria_for(
        ladder,
        "senior-csm",
        None,
        StageKind.PEER,
        stage_id="peer-interview",
        focus=family_focus(ladder, "customer-success-management"),
    )
    assert [c.id for c in peer] == ["competency:communication"]
    # Other stages keep their defaults.
    panel = criteria_for(
        ladder,
        "senior-csm",
        None,
        StageKind.PANEL,
        stage_id="panel-interview",
        focus=family_focus(ladder, "customer-success-management"),
    )
    assert len(panel) > 1


def test_an_unknown_selector_is_refused_with_the_stage(tmp_path):
    ladder = ladder_with_focus(tmp_path, "peer-interview", ["competency:telepathy"]).ladder
    with pytest.raises(FocusError, match="peer-interview"):
        family_focus(ladder, "customer-success-management")


def test_the_loader_reports_a_focus_that_is_not_a_list_of_strings(tmp_path):
    result = ladder_with_focus(tmp_path, "peer-interview", [3])
    assert not result.ok
    assert any("scorecard_focus[0] must be a string" in str(p) for p in result.errors)
