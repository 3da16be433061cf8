"""Ladder performance: load + validate + resolve every family, against a plain YAML parse.

Both sides read the same files from disk in the same run, call by call in alternation, and
parse them with the same libyaml-backed loader (``CSafeLoader`` when PyYAML has it). Nothing
is cached between repetitions. Also times the handbook import of each seed page when
``ladder.handbook`` provides ``import_path``.

    .venv/bin/python bench/ladder_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import gc
import importlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ladder.loader import DATA_DIR, data_files, load_ladder  # noqa: E402
from ladder.resolve import resolve_all  # noqa: E402

SEEDS = ROOT / "tests" / "fixtures" / "seeds"
TARGET_MS = 50.0
TARGET_RATIO = 2.0
IMPORT_TARGET_MS = 20.0

try:
    PlainLoader: Any = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    PlainLoader = yaml.SafeLoader


def timings(func: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds per call, ``repeat`` calls after two warm-up calls."""
    return interleaved([func], repeat)[0]


def interleaved(funcs: list[Callable[[], object]], repeat: int) -> list[list[float]]:
    """Milliseconds per call of each function, alternating them call by call so that the
    machine's background load weighs on each alike; two warm-up rounds first."""
    for func in funcs * 2:
        func()
    out: list[list[float]] = [[] for _ in funcs]
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for round_ in range(repeat):
            order = range(len(funcs)) if round_ % 2 == 0 else reversed(range(len(funcs)))
            for index in order:
                start = time.perf_counter()
                funcs[index]()
                out[index].append((time.perf_counter() - start) * 1000)
    finally:
        if gc_was_enabled:
            gc.enable()
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def plain_parse() -> list[Any]:
    return [
        yaml.load(path.read_text(encoding="utf-8"), Loader=PlainLoader)  # noqa: S506
        for path in data_files(DATA_DIR)
    ]


def load_validate_resolve() -> int:
    result = load_ladder(DATA_DIR)
    if not result.ok:
        raise SystemExit("the shipped ladder does not validate: run python -m ladder validate")
    return len(resolve_all(result.ladder))


def row(label: str, values: list[float]) -> str:
    return f"{label:<34} median {statistics.median(values):7.2f} ms   p95 {p95(values):7.2f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args(argv)

    files = data_files(DATA_DIR)
    size = sum(path.stat().st_size for path in files)
    variants = load_validate_resolve()
    print(f"ladder data: {len(files)} files, {size / 1024:.1f} KiB, {variants} resolved variants")
    print(f"YAML loader: {PlainLoader.__name__}; {args.repeat} repetitions each")

    plain, full = interleaved([plain_parse, load_validate_resolve], args.repeat)
    ratio = statistics.median(full) / statistics.median(plain)
    print(row("plain yaml.load of the same files", plain))
    print(row("load + validate + resolve all", full))
    print(f"ratio (median): {ratio:.2f}x   targets: < {TARGET_MS:.0f} ms, <= {TARGET_RATIO:.0f}x")
    ok = statistics.median(full) < TARGET_MS and ratio <= TARGET_RATIO

    try:
        handbook = importlib.import_module("ladder.handbook")
    except ImportError:
        handbook = None
    import_path = getattr(handbook, "import_path", None)
    if import_path is None:
        print("handbook import: ladder.handbook.import_path not available, skipped")
    elif not SEEDS.is_dir():
        print(f"handbook import: no seed pages at {SEEDS}, skipped")
    else:
        for page in sorted(SEEDS.glob("*.txt")):
            page_times = timings(lambda page=page: import_path(page), max(args.repeat // 3, 20))
            print(row(f"import {page.name}", page_times))
            ok = ok and statistics.median(page_times) < IMPORT_TARGET_MS
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
