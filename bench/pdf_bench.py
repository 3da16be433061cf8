"""Role-description PDFs: cold render, the WeasyPrint floor, and warm (cached) downloads.

For every level of the ladder (A4), in the same process and interleaved level by level
(the order of the pair alternates from one round to the next):

* **cold**: ``get_role_description_pdf`` with an empty cache: view model, template,
  WeasyPrint through the static-files URL fetcher, fixed metadata, atomic write to the cache;
* **floor**: ``weasyprint.HTML(string=html, base_url=...).write_pdf()`` on the very same
  HTML with WeasyPrint's default URL fetcher, i.e. what rendering costs at the least.

Then **warm**: ``get_role_description_pdf`` once every PDF is cached, and the same download
through the API (``GET /api/v1/ladder/levels/<id>/description.pdf`` with a bearer token,
Flask's test client, a temporary SQLite database).

Targets: cold median and p95 within 1.2x of the floor; warm under 10 ms. The script
reports and exits 0 whether or not the targets are met (1 only if a PDF is not produced).

    .venv/bin/python bench/pdf_bench.py [--rounds N] [--warm-repeats M]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import weasyprint  # noqa: E402
from flask import Flask  # noqa: E402

from app import create_app  # noqa: E402
from app.careers.documents import (  # noqa: E402
    describe,
    get_role_description_pdf,
    render_html,
)
from app.ladder_access import get_ladder  # noqa: E402
from app.models import Role  # noqa: E402
from app.pdf import static_base_url  # noqa: E402
from app.services import accounts, api_tokens  # noqa: E402

COLD_TARGET = 1.2
WARM_TARGET_MS = 10.0
PAPER = "a4"


def make_app(tmp: Path) -> Flask:
    os.environ["HIRELADDER_ENV"] = "testing"
    return create_app(
        {
            "HIRELADDER_ENV": "testing",
            "SECRET_KEY": "bench-secret-key",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
            "PDF_CACHE_DIR": tmp / "pdf-cache",
            "CV_STORAGE_DIR": tmp / "cv",
        }
    )


def timed(func: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def timed_cpu(func: Callable[[], object]) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds of one call (the CPU time is less sensitive to other load)."""
    start, start_cpu = time.perf_counter(), time.process_time()
    result = func()
    return time.perf_counter() - start, time.process_time() - start_cpu, result


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def row(label: str, values: list[float]) -> str:
    return (
        f"  {label:<28} median {ms(statistics.median(values))}   p95 {ms(p95(values))}"
        f"   (n={len(values)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="cold/floor pairs per level")
    parser.add_argument("--warm-repeats", type=int, default=50, help="warm calls per level")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="hireladder-pdf-bench-"))
    try:
        return run(make_app(tmp), tmp, args.rounds, args.warm_repeats)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(app: Flask, tmp: Path, rounds: int, warm_repeats: int) -> int:
    cache = tmp / "pdf-cache"
    with app.app_context():
        ladder = get_ladder()
        levels = [level.id for family in ladder.families for level in family.levels]
        base_url = static_base_url()
        html = {lid: render_html(describe(ladder, lid), PAPER) for lid in levels}
        # One untimed render of each kind loads fonts and fills WeasyPrint's caches.
        get_role_description_pdf(ladder, levels[0], None, PAPER)
        weasyprint.HTML(string=html[levels[0]], base_url=base_url).write_pdf()

        cold: list[float] = []
        floor: list[float] = []
        cold_cpu: list[float] = []
        floor_cpu: list[float] = []
        ratios: list[float] = []
        pages_differ: list[str] = []
        for round_number in range(rounds):
            for index, lid in enumerate(levels):
                shutil.rmtree(cache, ignore_errors=True)

                def cold_call(lid: str = lid) -> object:
                    return get_role_description_pdf(ladder, lid, None, PAPER)

                def floor_call(lid: str = lid) -> object:
                    return weasyprint.HTML(string=html[lid], base_url=base_url).write_pdf()

                pair = (cold_call, floor_call)
                if (round_number + index) % 2:
                    pair = (floor_call, cold_call)
                results = {call: timed_cpu(call) for call in pair}
                cold_seconds, cold_cpu_seconds, cold_result = results[cold_call]
                floor_seconds, floor_cpu_seconds, floor_pdf = results[floor_call]
                data = getattr(cold_result, "data", b"")
                if not data.startswith(b"%PDF-") or not bytes(floor_pdf).startswith(b"%PDF-"):
                    print(f"no PDF for {lid}", file=sys.stderr)
                    return 1
                if abs(len(data) - len(floor_pdf)) > 2048:
                    pages_differ.append(lid)
                cold.append(cold_seconds)
                floor.append(floor_seconds)
                cold_cpu.append(cold_cpu_seconds)
                floor_cpu.append(floor_cpu_seconds)
                ratios.append(cold_seconds / floor_seconds)

        warm: list[float] = []
        for lid in levels:
            get_role_description_pdf(ladder, lid, None, PAPER)
            for _ in range(warm_repeats):
                seconds, result = timed(
                    lambda lid=lid: get_role_description_pdf(ladder, lid, None, PAPER)
                )
                assert getattr(result, "cache_hit", False)
                warm.append(seconds)

        http, http_floor = warm_http(app, levels, warm_repeats)

    median_ratio = statistics.median(cold) / statistics.median(floor)
    p95_ratio = p95(cold) / p95(floor)
    print(
        f"Role-description PDFs: {len(levels)} levels x {rounds} rounds, paper {PAPER}, "
        f"WeasyPrint {weasyprint.__version__}"
    )
    print(row("cold (render + cache write)", cold))
    print(row("floor (WeasyPrint alone)", floor))
    print(row("cold, CPU time", cold_cpu))
    print(row("floor, CPU time", floor_cpu))
    print(
        f"  cold / floor: median {median_ratio:.3f}x, p95 {p95_ratio:.3f}x, "
        f"per-level pairs median {statistics.median(ratios):.3f}x "
        f"(target <= {COLD_TARGET}x): "
        f"{'met' if max(median_ratio, p95_ratio) <= COLD_TARGET else 'NOT met'}"
    )
    print(row("warm (cache hit, function)", warm))
    print(row("warm (cache hit, HTTP GET)", http))
    print(row("HTTP floor (GET /api/v1/me)", http_floor))
    for label, values in (("function", warm), ("HTTP GET", http)):
        verdicts = [
            f"{name} {'met' if figure(values) * 1000 < WARM_TARGET_MS else 'NOT met'}"
            for name, figure in (("median", statistics.median), ("p95", p95))
        ]
        print(f"  warm {label} < {WARM_TARGET_MS:.0f} ms: {', '.join(verdicts)}")
    if pages_differ:
        print(f"  note: cold and floor PDFs differ in size for {', '.join(pages_differ)}")
    return 0


def warm_http(app: Flask, levels: list[str], repeats: int) -> tuple[list[float], list[float]]:
    """Cached downloads through the API with a bearer token, interleaved with GET /me (the
    same authentication and nothing else)."""
    from flask_migrate import upgrade

    from app.db import db

    logging.disable(logging.INFO)  # alembic's progress lines
    try:
        upgrade()
    finally:
        logging.disable(logging.NOTSET)
    user = accounts.create_user(
        "bench@example.org",
        "Bench",
        "correct horse battery staple",
        [Role.TEAM_MEMBER],
        actor=None,
        channel="system",
    )
    _row, raw = api_tokens.issue(user, actor=None)
    db.session.commit()
    db.session.remove()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {raw}"}
    samples: list[float] = []
    floor: list[float] = []
    for lid in levels:
        url = f"/api/v1/ladder/levels/{lid}/description.pdf"
        assert client.get(url, headers=headers).status_code == 200
        for _ in range(repeats):
            seconds, response = timed(lambda url=url: client.get(url, headers=headers))
            assert getattr(response, "status_code", 0) == 200
            samples.append(seconds)
            seconds, response = timed(lambda: client.get("/api/v1/me", headers=headers))
            assert getattr(response, "status_code", 0) == 200
            floor.append(seconds)
    return samples, floor


if __name__ == "__main__":
    sys.exit(main())
