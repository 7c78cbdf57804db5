"""Survey import and satisfaction-index benchmark: `python -m benchmarks.surveys [--rows N]`.

For SQLite and (when reachable) PostgreSQL, each in a throw-away database built by the
migrations with the demo operators: writes a deterministic demo survey of N rows (default
1,000,000), then, in a fresh child process per database, imports it through the real service
(validate pass + batched insert pass + commit, as `flask surveys import` does) and computes the
index of the quarter by SQL aggregates. The child resets the kernel's peak-RSS mark after
start-up and reports the resident memory then and the peak during the import (VmHWM), so the
import's own memory is the difference; 100,000 rows are run too, to show the peak does not grow
with the file. Prints a table; writes .bench/surveys.json. Not part of the test suite.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS_FILE = Path(__file__).resolve().parent.parent / ".bench" / "surveys.json"
PERIOD = "2026Q3"


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1]) / 1024  # kB


def reset_peak_rss() -> float:
    """Reset the kernel's high-water mark to the current RSS (Linux ≥ 4.0) and return it, so the
    next peak is the import's own, not start-up's (migrations and the demo load peak higher)."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")
    return _status_mb("VmRSS")


def peak_rss_mb() -> float:
    return _status_mb("VmHWM")


def cpu_seconds() -> float:
    """This process's CPU time (user + system): less sensitive to a busy machine than wall time;
    it leaves out the database server's own work on PostgreSQL."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(url: str, path: str) -> None:
    """Runs in its own process: import `path` into `url`, then compute the index; prints JSON."""
    from benchmarks.dataset import NOW, bench_app
    from supervision.extensions import db

    with tempfile.TemporaryDirectory() as uploads:
        app = bench_app(url, uploads)
        with app.app_context():
            from sqlalchemy import select

            from supervision.access.models import User
            from supervision.demo import load_demo_reference
            from supervision.surveys import services
            from supervision.surveys.imports import import_survey_file

            load_demo_reference(NOW, echo=lambda *args: None)
            db.session.commit()
            rss_start = reset_peak_rss()
            cpu_start = cpu_seconds()
            started = time.perf_counter()
            with open(path, "rb") as binary:
                survey_import = import_survey_file(binary, os.path.basename(path), None, NOW)
            db.session.commit()
            import_seconds = time.perf_counter() - started
            import_cpu = cpu_seconds() - cpu_start
            rss_peak = peak_rss_mb()
            officer = db.session.scalar(select(User).where(User.username == "officer.cn"))
            method = services.method_of(services.current_methodology())
            timings = []
            for _ in range(3):
                started = time.perf_counter()
                cells = services.index_cells(PERIOD, officer, method)
                timings.append(time.perf_counter() - started)
            print(json.dumps({"rows": survey_import.rows, "import_seconds": import_seconds,
                              "import_cpu_seconds": import_cpu,
                              "rss_start_mb": rss_start, "rss_peak_mb": rss_peak, "cells": len(cells),
                              "index_seconds_first": timings[0], "index_seconds_best": min(timings)}))


def run_child(url: str, path: str) -> dict:
    output = subprocess.run([sys.executable, "-m", "benchmarks.surveys", "--child", url, path],
                            check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=2, metavar=("URL", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    from benchmarks.dataset import postgres_url, sqlite_url
    from supervision.surveys.demo_data import write_demo_survey

    results = []
    with tempfile.TemporaryDirectory(prefix="survey-bench-") as tmp:
        for rows in sorted({100_000, args.rows}):
            path = os.path.join(tmp, f"survey-{rows}.csv")
            started = time.perf_counter()
            with open(path, "w", encoding="utf-8", newline="") as out:
                write_demo_survey(out, PERIOD, rows)
            generated = time.perf_counter() - started
            size_mb = os.path.getsize(path) / 1024 / 1024
            print(f"generated {rows:,} rows ({size_mb:.1f} MB) in {generated:.1f} s", file=sys.stderr)
            for name, make_url in (("sqlite", sqlite_url), ("postgresql", postgres_url)):
                with make_url() as url:
                    if url is None:
                        print("PostgreSQL not reachable: skipped", file=sys.stderr)
                        continue
                    result = run_child(url, path) | {"database": name, "file_mb": size_mb}
                    print(json.dumps(result), file=sys.stderr)
                    results.append(result)
    print(f"\n{'db':<11} {'rows':>10} {'file MB':>8} {'import s':>9} {'CPU s':>6} {'rows/s':>9} {'RSS start MB':>13} "
          f"{'RSS peak MB':>12} {'index s (first/best)':>21} {'cells':>6}")
    for r in results:
        print(f"{r['database']:<11} {r['rows']:>10,} {r['file_mb']:>8.1f} {r['import_seconds']:>9.1f} "
              f"{r['import_cpu_seconds']:>6.1f} "
              f"{r['rows'] / r['import_seconds']:>9,.0f} {r['rss_start_mb']:>13.0f} {r['rss_peak_mb']:>12.0f} "
              f"{r['index_seconds_first']:>10.2f} / {r['index_seconds_best']:<8.2f} {r['cells']:>6}")
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
