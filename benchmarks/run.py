"""`make bench` (python -m benchmarks.run): ratios against the bare limit, same machine, same run.

Builds a throw-away SQLite database (and a throw-away PostgreSQL schema when the local server
answers) through the migrations, bulk-loads complaints with two clocks each, and measures:
(a) the deadline sweep with nothing due against the bare indexed SELECT and a full-table scan,
(b) the sweep with 200 overdue clocks, per transition, against one UPDATE + COMMIT per row,
(c) the working-day calendar against bare date loops,
(d) public intake through the WSGI stack against one bare INSERT (and argon2 alone),
(e)-(g) the officer's queue, a rare-term search and the CSV export (benchmarks/queries.py).
Prints a table and writes .bench/results.json. No timing is a pass/fail threshold.
"""
import argparse
import contextlib
import json
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import cases, queries
from benchmarks.dataset import bench_app, populate, postgres_url, sqlite_url
from benchmarks.timing import Progress, Result

RESULTS_FILE = Path(__file__).resolve().parent.parent / ".bench" / "results.json"
STEPS_PER_DATABASE = 4 + queries.STEPS


def run_database(name: str, url: str, n: int, progress: Progress,
                 upload_dir: str) -> tuple[list[Result], bool]:
    from supervision.extensions import db

    progress.start(f"{name}: migrations + bulk load of {n:,} complaints / {2 * n:,} clocks")
    app = bench_app(url, upload_dir)
    with app.app_context():
        operator_id = populate(n)["operator_id"]
        index_used = cases.uses_state_due_index(db.engine.dialect.name)
    progress.finish()
    results: list[Result] = []
    try:
        with app.app_context():
            progress.start(f"{name}: (a) sweep with nothing due")
            results += cases.sweep_nothing_due(name)
            progress.finish()
            progress.start(f"{name}: (b) sweep with {cases.OVERDUE} overdue clocks")
            results += cases.sweep_overdue(name)
            progress.finish()
            db.session.remove()
        progress.start(f"{name}: (d) public intake")
        results += cases.public_intake(app, name, operator_id)
        progress.finish()
        results += queries.run_all(app, name, url, upload_dir, n, progress)  # (e)-(g) officer reads
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return results, index_used


def print_table(results: list[Result], index_used: dict[str, bool], n: int) -> None:
    header = f"{'case':<54} {'db':<10} {'n':>6} {'median s':>10} {'ratio':>8}  vs / note"
    print(f"\nBenchmarks: {n:,} complaints, {2 * n:,} clocks; ratio = median / baseline median (same run)\n")
    print(header)
    print("-" * len(header))
    for r in results:
        ratio = f"{r.ratio:8.2f}" if r.ratio is not None else f"{'1 (base)':>8}"
        tail = "; ".join(part for part in (r.baseline and f"vs {r.baseline}", r.note) if part)
        print(f"{r.case:<54} {r.database:<10} {r.n:>6} {r.median_s:>10.2e} {ratio}  {tail}")
    print()
    for name, used in index_used.items():
        verdict = "uses" if used else "does NOT use"
        print(f"{name}: the sweep's candidate query {verdict} the index ix_deadlines_state_due")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=20_000,
                        help="complaints to bulk-load (2 clocks each)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)

    with contextlib.ExitStack() as stack:
        upload_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="supervision-bench-uploads-"))
        databases = [("sqlite", stack.enter_context(sqlite_url()))]
        pg = None if args.no_postgres else stack.enter_context(postgres_url())
        if pg:
            databases.append(("postgresql", pg))
        elif not args.no_postgres:
            print("PostgreSQL not reachable: SQLite only (set BENCH_POSTGRES_URL to point elsewhere)",
                  file=sys.stderr)
        progress = Progress(1 + STEPS_PER_DATABASE * len(databases))
        progress.start("(c) working-day calendar")
        results = cases.working_day_calendar()
        progress.finish()
        index_used = {}
        for name, url in databases:
            measured, index_used[name] = run_database(name, url, args.complaints, progress, upload_dir)
            results += measured

    print_table(results, index_used, args.complaints)
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(json.dumps({
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(), "machine": platform.platform(),
        "complaints": args.complaints, "clocks": 2 * args.complaints, "index_used": index_used,
        "results": [r.as_dict() for r in results],
    }, indent=2, ensure_ascii=False))
    print(f"\nwritten {RESULTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
