"""`make bench` (python -m benchmarks.run) and `make bench-quick` (--quick): ratios against the
bare limit, same machine, same run. BENCHMARKS.md at the top level explains the method.

Builds a throw-away SQLite database (and a throw-away PostgreSQL schema when the local server
answers) through the migrations, fills it with the domain's generator (demo operators and
users, N complaints with their clocks, M survey responses), then runs every case of GROUPS on
each database. Prints a table, writes .bench/results.json, and ends with ONE summary line of
the headline ratios. No timing is a pass/fail threshold.
"""
import argparse
import contextlib
import json
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask

from benchmarks import aggregates, cases, dataset, intake, queries
from benchmarks.dataset import PROVINCE, bench_app, postgres_url, sqlite_url
from benchmarks.timing import Progress, Result

RESULTS_FILE = Path(__file__).resolve().parent.parent / ".bench" / "results.json"
# Each group is a list of (label, case); a case takes the Context and returns Results.
# Another module's cases join with one line here.
GROUPS = [
    cases.CASES,       # the deadline sweep
    aggregates.CASES,  # statistics, satisfaction index, publication PDF
    intake.CASES,      # public intake over HTTP
    queries.CASES,     # the officer's queue, a rare-term search, the CSV export
]
FULL = {"complaints": 1_000_000, "surveys": 400_000}
QUICK = {"complaints": 5_000, "surveys": 20_000}


@dataclass
class Context:
    name: str  # sqlite | postgresql
    url: str
    app: Flask
    n: int
    surveys: int
    quick: bool
    operator_id: int
    upload_dir: str
    province: str = PROVINCE


def build_databases(databases: list[tuple[str, str]], args, progress: Progress) -> None:
    """Migrate and fill every database; the first in this process, the others at the same time
    in child processes (set-up is most of a quick run's time). All are ready before any case
    runs, so no set-up competes with a measurement."""
    progress.start(f"{' + '.join(name for name, _ in databases)}: migrations + generated "
                   f"{args.complaints:,} complaints, {args.surveys:,} survey rows")
    children = [dataset.build_in_child(url, args.complaints, args.surveys) for _, url in databases[1:]]
    try:
        dataset.build(databases[0][1], args.complaints, args.surveys)
    finally:
        failed = [child.args for child in children if child.wait() != 0]
    if failed:
        raise RuntimeError(f"set-up failed: {failed}")
    progress.finish()


def run_database(name: str, url: str, args, progress: Progress, upload_dir: str) -> tuple[list[Result], bool]:
    from supervision.extensions import db

    app = bench_app(url, upload_dir)  # already migrated: upgrade() finds nothing to do
    with app.app_context():
        operator_id = dataset.demo_operator_id()
        index_used = cases.uses_state_due_index(db.engine.dialect.name)
        db.session.remove()
    ctx = Context(name, url, app, args.complaints, args.surveys, args.quick, operator_id, upload_dir)
    results: list[Result] = []
    try:
        for group in GROUPS:
            for label, case in group:
                progress.start(f"{name}: {label}")
                with app.app_context():
                    try:
                        results += case(ctx)
                    finally:
                        db.session.remove()  # SQLite: no lock held while the next case (or gunicorn) writes
                progress.finish()
    finally:
        with app.app_context():
            db.engine.dispose()
    return results, index_used


def print_table(results: list[Result], index_used: dict[str, bool], args) -> None:
    header = f"{'case':<58} {'db':<10} {'median s':>10} {'ratio':>8}  vs / note"
    print(f"\nBenchmarks: {args.complaints:,} complaints, {2 * args.complaints:,} clocks, {args.surveys:,} "
          "survey rows; ratio = median / baseline median (same run)\n")
    print(header)
    print("-" * len(header))
    for r in results:
        ratio = f"{r.ratio:8.2f}" if r.ratio is not None else f"{'-':>8}"
        tail = "; ".join(part for part in (r.baseline and f"vs {r.baseline}", r.note) if part)
        print(f"{r.case:<58} {r.database:<10} {r.median_s:>10.2e} {ratio}  {tail}")
    print()
    for name, used in index_used.items():
        print(f"{name}: the sweep's candidate query {'uses' if used else 'does NOT use'} ix_deadlines_state_due")


def summary_line(results: list[Result], elapsed: float) -> str:
    parts = []
    for database in dict.fromkeys(r.database for r in results if r.summary_label):
        figures = [f"{r.summary_label} {r.median_s if r.ratio is None else r.ratio:.2f}"
                   for r in results if r.database == database and r.summary_label]
        parts.append(f"{database}: " + ", ".join(figures))
    return f"bench summary (total {elapsed:.0f} s wall) — " + " | ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data, short rounds (CI: under 60 s)")
    parser.add_argument("--complaints", type=int, help="generated complaints (2 clocks each)")
    parser.add_argument("--surveys", type=int, help="generated survey responses")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    args.complaints = sizes["complaints"] if args.complaints is None else args.complaints
    args.surveys = sizes["surveys"] if args.surveys is None else args.surveys
    started = time.perf_counter()

    with contextlib.ExitStack() as stack:
        upload_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="supervision-bench-uploads-"))
        databases = [("sqlite", stack.enter_context(sqlite_url()))]
        pg = None if args.no_postgres else stack.enter_context(postgres_url())
        if pg:
            databases.append(("postgresql", pg))
        elif not args.no_postgres:
            print("PostgreSQL not reachable: SQLite only (set BENCH_POSTGRES_URL to point elsewhere)",
                  file=sys.stderr)
        steps = 1 + (0 if args.quick else 1) + sum(len(g) for g in GROUPS) * len(databases)
        progress = Progress(steps)
        results: list[Result] = []
        if not args.quick:
            progress.start("working-day calendar")
            results += cases.working_day_calendar()
            progress.finish()
        index_used = {}
        build_databases(databases, args, progress)
        for name, url in databases:
            measured, index_used[name] = run_database(name, url, args, progress, upload_dir)
            results += measured

    print_table(results, index_used, args)
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(json.dumps({
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(), "machine": platform.platform(), "quick": args.quick,
        "complaints": args.complaints, "surveys": args.surveys, "index_used": index_used,
        "results": [r.as_dict() for r in results],
    }, indent=2, ensure_ascii=False))
    print(f"\nwritten {RESULTS_FILE}")
    print(summary_line(results, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
