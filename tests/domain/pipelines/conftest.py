"""Fixtures for the pipeline tests: the shipped ladder and its plans."""

from __future__ import annotations

import pytest

from ladder.loader import LoadResult, load_ladder
from ladder.model import Ladder
from pipelines.plan import PipelinePlan, build_plan
from tests.domain.pipelines.pipelines_testing import CSA, CSM


@pytest.fixture(scope="session")
def shipped() -> LoadResult:
    result = load_ladder()
    assert result.ok, "\n".join(str(problem) for problem in result.errors)
    return result


@pytest.fixture(scope="session")
def ladder(shipped: LoadResult) -> Ladder:
    return shipped.ladder


@pytest.fixture(scope="session")
def csm_plan(ladder: Ladder) -> PipelinePlan:
    return build_plan(ladder, CSM)


@pytest.fixture(scope="session")
def csa_plan(ladder: Ladder) -> PipelinePlan:
    return build_plan(ladder, CSA)
