"""Served for real: requests per second of gunicorn processes, and one worker's memory.

Starts ``gunicorn wsgi:app`` (production settings, sync workers) on a database that
``bench/generate.py`` filled, signs in as its recruiter (a session cookie made the way the
sign-in page makes it) and as its admin (an API token), then:

* ``throughput`` (default): for each page in turn, ``wrk`` with ``--connections`` open
  connections against ``--workers`` worker processes, in ``--rounds`` rounds of
  ``--seconds`` seconds of the bare page (``GET /api/v1/me`` with a token: the token check
  and the smallest answer), of the page, and of the bare page again; the page's requests
  per second and their ratio to the bare page's around them, the median round (and the
  spread); the CPU time per request of the workers and of a PostgreSQL server on this
  machine, page and bare page (the median of the rounds), and their ratio;
  ``/health`` (no session, no database) once, as the processes' own floor;
* ``memory``: one worker process, ``--requests`` requests one after the other, round robin
  over the same pages, each time with what varies in use (another board, another page of
  a list), printing the worker's resident memory every 1,000 requests.

Without ``--database-url`` it fills a SQLite file with ``--applications`` (10,000) first,
which is how ``make bench`` runs it.

wrk and the server share this machine's cores: the ratios to the bare page, measured in the
same run, are the figures to compare; the absolute numbers depend on the machine.

    .venv/bin/python bench/serve_bench.py [--database-url postgresql://…/hl_100k]
            [--mode throughput|memory] [--workers 2] [--seconds 4] [--rounds 3]
            [--connections 8]
            [--requests 20000]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import flask_login.utils  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app import create_app  # noqa: E402
from app.db import db  # noqa: E402
from app.inputs import DB_INT_MAX  # noqa: E402
from app.models import Application, Candidate, Requisition, Role, User, UserRole  # noqa: E402
from app.paging import encode_cursor  # noqa: E402
from app.services import api_tokens, sessions  # noqa: E402
from app.serving import prepare_for_serving  # noqa: E402

SECRET_KEY = "serve-bench-secret-key-" + "x" * 40
#: Each target: (label, path, held to this share of the bare page's requests per second).
TARGETS = {"list": 0.5, "api": 0.5, "board": 0.2}
BOARD_SIZE = 500
#: Rounds of (bare, page, bare) per page by default; the median round's ratio is reported.
ROUNDS = 3
#: The bare page the others are held to: the smallest API answer, behind its token check.
BARE = "/api/v1/me"


@dataclass(frozen=True)
class Visitor:
    cookie: str  # the recruiter's session cookie ("session=…")
    token: str  # the admin's API token
    board: int  # a requisition with about BOARD_SIZE applications
    requisitions: tuple[int, ...]  # the first requisitions (boards to visit in turn)
    candidates: int  # the highest candidate id (API pages start below it in turn)


def settings(url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the served processes (and of this one's app)."""
    return {
        **os.environ,
        "HIRELADDER_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": url,
        "HIRELADDER_MFA_REQUIRED_ROLES": "",
        # The load comes from one address and two callers: out of the way of the figures.
        "HIRELADDER_RATELIMIT_DEFAULT": "100000000 per minute",
        "HIRELADDER_BASE_URL": "http://127.0.0.1",
        **(extra or {}),
    }


def visitor(url: str) -> Visitor:
    """Sign in the database's first active recruiter, issue its first admin a token, and
    find the requisition whose number of applications is nearest to BOARD_SIZE."""
    os.environ.update(settings(url))
    app = create_app()
    with app.app_context():

        def first(role: Role) -> User:
            user = db.session.scalar(
                select(User)
                .join(UserRole, UserRole.user_id == User.id)
                .where(UserRole.role == role, User.active.is_(True))
                .order_by(User.id)
                .limit(1)
            )
            if user is None:
                raise SystemExit(f"The database has no active {role.value}: fill it first.")
            return user

        recruiter = first(Role.RECRUITER)
        session_token = sessions.start(recruiter)
        _, api_token = api_tokens.issue(first(Role.ADMIN), actor=None, scope="read", days=1)
        db.session.commit()
        sizes = db.session.execute(
            select(Application.requisition_id, func.count())
            .group_by(Application.requisition_id)
            .order_by(func.abs(func.count() - BOARD_SIZE))
            .limit(1)
        ).first()
        board = sizes[0] if sizes else 0
        requisitions = tuple(
            db.session.scalars(select(Requisition.id).order_by(Requisition.id).limit(200))
        )
        candidates = db.session.scalar(select(func.max(Candidate.id))) or 0
        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        assert serializer is not None
        name = app.config["SESSION_COOKIE_NAME"]
        # What a browser holds after signing in and seeing a page: the session, the
        # fingerprint Flask-Login checks it against (this client's address, no user agent)
        # and the form token. Without the last two every answer would issue a new cookie.
        with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
            identifier = flask_login.utils._create_identifier()
        held = {
            "_user_id": session_token,
            "_fresh": True,
            "_id": identifier,
            "csrf_token": secrets.token_hex(20),
        }
        cookie = f"{name}={serializer.dumps(held)}"
        db.engine.dispose()
    return Visitor(
        cookie=cookie,
        token=api_token,
        board=board,
        requisitions=requisitions,
        candidates=candidates,
    )


def pages(who: Visitor) -> list[tuple[str, str, dict[str, str]]]:
    web = {"Cookie": who.cookie}
    api = {"Authorization": f"Bearer {who.token}"}
    return [
        ("floor", "/account", web),
        ("list", "/hiring/requisitions", web),
        ("board", f"/hiring/requisitions/{who.board}", web),
        ("api", "/api/v1/requisitions", api),
        ("api", "/api/v1/candidates", api),
        ("api", "/api/v1/applications", api),
        ("api", "/api/v1/promotions", api),
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(url: str, workers: int) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=settings(url),
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = get(port, "/health", {})
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.2)
        yield port, server
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        conn.close()


def wrk(
    port: int,
    path: str,
    headers: dict[str, str],
    seconds: int,
    connections: int,
    processes: list[int] | None = None,
    cpu: list[float] | None = None,
) -> float:
    """Requests per second that answered 2xx (wrk counts the others apart); with
    ``processes`` and ``cpu``, the CPU seconds they used per request go onto ``cpu``."""
    command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    used = cpu_seconds(processes or [])
    out = subprocess.run(  # noqa: S603 - wrk with our own headers and address
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    requests = float(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad:
        raise SystemExit(f"{path}: {bad[1]} answers were not 2xx/3xx\n{out}")
    duration = re.search(r"requests in ([\d.]+)(m?s)", out)
    assert duration is not None
    elapsed = float(duration[1]) / (1000 if duration[2] == "ms" else 1)
    if processes and cpu is not None and requests:
        cpu.append((cpu_seconds(processes) - used) / requests)
    return requests / elapsed


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used (those that have ended: none)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def database_processes(url: str) -> list[int]:
    """This machine's PostgreSQL server processes when the database is on it (none for
    SQLite, whose work is done in the workers, or for a server elsewhere)."""
    if not url.startswith("postgresql") or ("127.0.0.1" not in url and "localhost" not in url):
        return []
    found = subprocess.run(["pgrep", "-f", "^postgres"], capture_output=True, text=True)  # noqa: S607
    return [int(pid) for pid in found.stdout.split()]


def throughput(url: str, workers: int, seconds: int, connections: int, rounds_: int) -> None:
    who = visitor(url)
    print(
        f"gunicorn, {workers} sync workers, production settings; wrk, 1 thread, "
        f"{connections} connections; per page {rounds_} rounds of {seconds} s of the bare "
        f"page ({BARE}), {seconds} s of the page, {seconds} s of the bare page: the median "
        "round. CPU: the workers' and the local database server's time per request, and the "
        "bare page's share of the page's (steadier than requests per second on a machine "
        "others share)"
    )
    bare_headers = {"Authorization": f"Bearer {who.token}"}
    with served(url, workers) as (port, server):
        health = wrk(port, "/health", {}, seconds, connections)
        print(f"/health (no session, no database): {health:.0f} requests/s")
        for _, path, headers in pages(who):  # warm each worker's caches
            for _ in range(4 * workers):
                status, _ = get(port, path, headers)
                if status != 200:
                    raise SystemExit(f"GET {path} answered {status}")
        # After the warm-up: every worker holds its database connection (and its server process).
        processes = [int(pid) for pid in worker_pids(server)] + database_processes(url)
        print(
            f"{'page':<34} {'KiB':>6} {'req/s':>8} {'bare req/s':>10} {'ratio':>6} "
            f"{'min-max':>9} {'CPU ms':>7} {'bare':>5} {'ratio':>6}  target"
        )
        for label, path, headers in pages(who):
            _, size = get(port, path, headers)
            # Rounds of bare, page, bare: each page's ratio to the bare runs around it, so a
            # burst of other load on the machine weighs on both; the median round counts.
            rounds = []
            cpu: dict[str, list[float]] = {"page": [], "bare": []}
            for _ in range(rounds_):
                before = wrk(port, BARE, bare_headers, seconds, connections, processes, cpu["bare"])
                rate = wrk(port, path, headers, seconds, connections, processes, cpu["page"])
                after = wrk(port, BARE, bare_headers, seconds, connections, processes, cpu["bare"])
                rounds.append((rate / ((before + after) / 2), rate, (before + after) / 2))
            rounds.sort()
            ratio, rate, bare = rounds[len(rounds) // 2]
            page_ms, bare_ms = (1000 * statistics.median(cpu[k]) for k in ("page", "bare"))
            goal = TARGETS.get(label)
            verdict = "-" if goal is None else ("met" if ratio >= goal else "MISSED")
            target = "" if goal is None else f">= {goal:.0%} {verdict}"
            spread = f"{rounds[0][0]:.0%}-{rounds[-1][0]:.0%}"
            print(
                f"{path:<34} {size / 1024:6.1f} {rate:8.0f} {bare:10.0f} {ratio:6.0%} "
                f"{spread:>9} {page_ms:7.2f} {bare_ms:5.2f} {bare_ms / page_ms:6.0%}  {target}"
            )


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise SystemExit(f"no VmRSS for process {pid}")


def worker_pids(server: subprocess.Popen[bytes]) -> list[str]:
    return Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()


def worker_of(server: subprocess.Popen[bytes]) -> int:
    children = worker_pids(server)
    if len(children) != 1:
        raise SystemExit(f"expected one worker process, found {children}")
    return int(children[0])


def mixed(who: Visitor, n: int) -> tuple[str, dict[str, str]]:
    """The n-th request of the memory workload: the pages above, each with what varies in
    real use (another board, another page of a list, another place in the API's lists)."""
    web = {"Cookie": who.cookie}
    api = {"Authorization": f"Bearer {who.token}"}
    turn = n // 7
    board = who.requisitions[turn % len(who.requisitions)] if who.requisitions else who.board
    after = max(1, who.candidates - (turn * 37) % max(1, who.candidates))
    # A place further back in the newest-first lists each turn (a day to a year back).
    back = encode_cursor(datetime.now(UTC) - timedelta(days=1 + (turn * 13) % 365), DB_INT_MAX)
    paths = [
        ("/account", web),
        (f"/hiring/requisitions?q={'aeiou'[turn % 5]}", web),
        (f"/hiring/requisitions/{board}", web),
        (f"/hiring/requisitions/{board}?order=newest", web),
        (f"/api/v1/requisitions?after={back}", api),
        (f"/api/v1/candidates?after={after}", api),
        (f"/api/v1/promotions?after={back}", api),
    ]
    return paths[n % len(paths)]


def memory(url: str, requests: int) -> None:
    who = visitor(url)
    print(
        f"one gunicorn worker; {requests} requests, round robin over 7 pages, each with "
        "what varies in use (other boards, other pages of the lists)"
    )
    print(f"{'requests':>8} {'RSS MiB':>8} {'vs 5,000':>8}")
    with served(url, 1) as (port, server):
        pid = worker_of(server)
        at_5000 = None
        for n in range(1, requests + 1):
            path, headers = mixed(who, n)
            status, _ = get(port, path, headers)
            if status != 200:
                raise SystemExit(f"GET {path} answered {status}")
            if n % 1000 == 0:
                rss = rss_kib(pid) / 1024
                if n == 5000:
                    at_5000 = rss
                change = "" if at_5000 is None else f"{(rss / at_5000 - 1) * 100:+7.1f}%"
                print(f"{n:8d} {rss:8.1f} {change:>8}", flush=True)


def profile(url: str, requests: int) -> None:
    """Where the time of each page of :func:`pages` and of the bare page goes, in this
    process (Flask's test client, the same settings and database as the served ones):
    the parts of bench/request_bench.py's profile, and each SQL statement."""
    from bench.request_bench import print_parts, profile_parts

    who = visitor(url)
    os.environ.update(settings(url))
    app = create_app()
    prepare_for_serving(app)
    client = app.test_client(use_cookies=False)
    environ = {"REMOTE_ADDR": "127.0.0.1"}
    # The test client names itself (User-Agent), which Flask-Login's fingerprint of the
    # session holds too: the cookie of the first answer is the one to send from then on.
    first = client.get("/account", headers={"Cookie": who.cookie}, environ_base=environ)
    cookie = first.headers.get("Set-Cookie", who.cookie).split(";", 1)[0]
    bare = ("bare", BARE, {"Authorization": f"Bearer {who.token}"})
    print(f"{requests} requests per page after 20 to warm up, one page after the other")
    for _, path, headers in [bare, *pages(who)]:
        if "Cookie" in headers:
            headers = {"Cookie": cookie}

        def one(path: str = path, headers: dict[str, str] = headers) -> int:
            response = client.get(path, headers=headers, environ_base=environ)
            if response.status_code != 200:
                raise SystemExit(f"GET {path} answered {response.status_code}")
            return len(response.data)

        for _ in range(20):
            one()
        parts, total = profile_parts(app, one, requests)
        print_parts(parts, total, requests, page=path)
    with app.app_context():
        db.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        help="a database bench/generate.py filled (default: a SQLite file it fills with "
        "--applications applications, deleted afterwards)",
    )
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--mode", choices=("throughput", "memory", "profile"), default="throughput")
    parser.add_argument(
        "--workers",
        type=int,
        help="gunicorn workers (default 2 on PostgreSQL, 1 on SQLite: there an audited read "
        "in one process and a write in another refuse each other)",
    )
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument(
        "--rounds",
        type=int,
        default=ROUNDS,
        help="rounds of (bare page, page, bare page) per page; the median counts",
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--requests", type=int, help="memory: requests in all (20,000); profile: per page (300)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
        url = args.database_url
        if url is None:
            url = f"sqlite:///{Path(tmp) / 'served.db'}"
            print(f"filling {url} with {args.applications} applications (bench/generate.py)")
            subprocess.run(  # noqa: S603 - our own script
                [
                    sys.executable,
                    str(ROOT / "bench/generate.py"),
                    "--applications",
                    str(args.applications),
                    "--database-url",
                    url,
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        workers = args.workers or (1 if url.startswith("sqlite") else 2)
        if args.mode == "throughput":
            throughput(url, workers, args.seconds, args.connections, args.rounds)
        elif args.mode == "profile":
            profile(url, args.requests or 300)
        else:
            memory(url, args.requests or 20_000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
