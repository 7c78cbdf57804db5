"""The officer's read paths at scale (issue 10): the queue, a rare-term search, the CSV export.

Each case is paired with its limit measured in the same run on the same database:
- the queue (API and web page, through the WSGI stack) against the bare indexed SELECT of one
  page of the officer's complaints;
- a rare-term search (a name, a phone, a code in the facts) against the same search asked of the
  index directly (FTS5 on SQLite, the pg_trgm indexes on PostgreSQL);
- the streamed CSV export of every complaint, in a subprocess whose peak RSS is compared with
  the 150 MB limit and with the same process before the export.
"""
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from sqlalchemy import text

from benchmarks.dataset import PROVINCE
from benchmarks.timing import Result, against
from supervision.db_locking import deferred_transactions
from supervision.demo import demo_password
from supervision.demo_generate import generated_name, generated_phone, station_code

ROUNDS = 40  # requests per case: enough for a p95 that is not the single slowest request
# The demo's head of the Jiangsu authority (supervision/demo.py loads it with the generated data).
OFFICER = "officer.js2"
PASSWORD = demo_password(OFFICER)
EXPORT_RSS_LIMIT_MB = 150


# --- sampling --------------------------------------------------------------------------------

def interleaved_samples(entries: list[Callable[[int], object]], rounds: int) -> list[list[tuple[float, float]]]:
    """(wall, CPU) seconds of each entry, round-robin (a burst of load hits a case and its
    limit alike). The CPU time of this process tells the work from the waiting on a busy machine;
    it leaves out the database server's own (PostgreSQL runs in other processes)."""
    samples: list[list[tuple[float, float]]] = [[] for _ in entries]
    for round_no in range(rounds):
        for entry, bucket in zip(entries, samples, strict=True):
            start, cpu = time.perf_counter(), time.process_time()
            entry(round_no)
            bucket.append((time.perf_counter() - start, time.process_time() - cpu))
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def percentile_results(cases: list[str], samples: list[list[tuple[float, float]]], name: str, n: int,
                       with_limit: bool = True) -> list[Result]:
    """p50 and p95 of each case; with `with_limit` the first case is the limit and the
    others' ratios are against it (p50 against p50, p95 against p95)."""
    rows = []
    for case, bucket in zip(cases, samples, strict=True):
        wall, cpu = [w for w, _ in bucket], statistics.median(c for _, c in bucket)
        for label, value in (("p50", statistics.median(wall)), ("p95", p95(wall))):
            rows.append(Result(f"{case} {label}", name, n, value, note=f"CPU p50 {cpu * 1000:.1f} ms"))
    if with_limit:
        for i, row in enumerate(rows[2:]):
            against(row, rows[i % 2])
    return rows


# --- clients -----------------------------------------------------------------------------------

def officer_clients(app):
    """A signed-in browser and an API token of an officer of province 32."""
    app.config.update(WTF_CSRF_ENABLED=False, SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)
    browser = app.test_client()
    response = browser.post("/login", data={"username": OFFICER, "password": PASSWORD})
    assert response.status_code == 303, response.status_code
    api = app.test_client()
    token = api.post("/api/v1/auth/token", json={"username": OFFICER, "password": PASSWORD}).get_json()["token"]
    return browser, {"Authorization": f"Bearer {token}"}, api


def _get_ok(client, url: str, **kwargs) -> None:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)


# --- (e) the queue ---------------------------------------------------------------------------------

def officer_queue(app, name: str, n: int) -> list[Result]:
    """API page (keyset, 50 rows) and web page (nearest due first, 50 rows) against the bare
    indexed SELECT of 50 of the officer's complaints."""
    from supervision.extensions import db

    browser, headers, api = officer_clients(app)
    with app.app_context():
        engine = db.engine
    bare_sql = text("SELECT * FROM complaints WHERE province = :p ORDER BY id DESC LIMIT 50")

    def bare(_):
        with deferred_transactions(), engine.connect() as conn:  # a read: no write lock
            assert len(conn.execute(bare_sql, {"p": PROVINCE}).all()) == min(50, n)

    entries = [bare,
               lambda _: _get_ok(api, "/api/v1/complaints?limit=50", headers=headers),
               lambda _: _get_ok(api, "/api/v1/complaints?limit=50&status=accepted", headers=headers),
               lambda _: _get_ok(browser, "/officer/complaints"),
               lambda _: _get_ok(browser, "/officer/complaints?status=accepted&page=3")]
    cases = ["bare indexed SELECT of 50 complaints", "queue API, 50 rows", "queue API, status filter",
             "queue web page, 50 rows", "queue web page, status filter, page 3"]
    return percentile_results(cases, interleaved_samples(entries, ROUNDS), name, n)


# --- (f) a rare-term search -------------------------------------------------------------------------

def rare_terms(n: int) -> list[str]:
    """Terms one or a few complaints carry: a full name, a phone (whole or typed in part, with
    a hyphen), a code from the facts. Picked across the table, not from its start."""
    picks = [n * k // 11 + 3 for k in range(1, 11)]
    terms = []
    for k, i in enumerate(picks):
        phone = generated_phone(i)
        terms += [generated_name(i), phone if k % 2 else f"{phone[3:7]}-{phone[7:]}", station_code(i)]
    return terms


def index_query(dialect: str):
    """The search asked of the index alone: what the database cannot avoid doing."""
    if dialect == "sqlite":
        return text("SELECT rowid FROM complaints_search WHERE complaints_search MATCH :match"), \
            lambda term: {"match": '"' + term.replace('"', '""') + '"'}
    return text("SELECT id FROM complaints WHERE complainant_name ILIKE :like OR description ILIKE :like "
                "OR request ILIKE :like OR reference ILIKE :like"), lambda term: {"like": f"%{term}%"}


def search_index_exists(engine) -> bool:
    from sqlalchemy import inspect

    inspector = inspect(engine)
    if engine.dialect.name == "sqlite":
        return "complaints_search" in inspector.get_table_names()
    return any(ix["name"] == "ix_complaints_search_name" for ix in inspector.get_indexes("complaints"))


def rare_term_search(app, name: str, n: int) -> list[Result]:
    """Search API and web page with a rare term, against the index query for the same term."""
    from urllib.parse import quote

    from supervision.extensions import db

    browser, headers, api = officer_clients(app)
    with app.app_context():
        engine = db.engine
    terms = rare_terms(n)
    sql, params = index_query(engine.dialect.name)

    def raw(round_no):
        with deferred_transactions(), engine.connect() as conn:  # a read: no write lock
            conn.execute(sql, params(terms[round_no % len(terms)])).all()

    short = [generated_name(n * k // 11 + 3)[1:] for k in range(1, 11)]  # a given name: 2 characters
    entries = [lambda r: _get_ok(api, f"/api/v1/complaints?limit=50&q={quote(terms[r % len(terms)])}",
                                 headers=headers),
               lambda r: _get_ok(browser, f"/officer/complaints?q={quote(terms[r % len(terms)])}"),
               lambda r: _get_ok(api, f"/api/v1/complaints?limit=50&q={quote(short[r % len(short)])}",
                                 headers=headers)]
    cases = ["search API, rare term", "search web page, rare term",
             "search API, 2-character term (too short for trigrams: a scan)"]
    if not search_index_exists(engine):  # before the migration: nothing to pair the search with
        return percentile_results(cases, interleaved_samples(entries, ROUNDS), name, n, with_limit=False)
    entries, cases = [raw, *entries], ["search index query alone", *cases]
    return percentile_results(cases, interleaved_samples(entries, ROUNDS), name, n)


# --- (g) the CSV export, RSS in a subprocess ---------------------------------------------------------

def csv_export(url: str, upload_dir: str, name: str, n: int) -> list[Result]:
    """Stream GET /officer/complaints.csv in a fresh process; its peak RSS against the limit."""
    env = os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-m", "benchmarks.queries", "export", url, upload_dir],
                          capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        return [Result("CSV export (streamed)", name, n, 0.0, note=f"failed: {done.stderr.strip()[-300:]}")]
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    if measured["status"] != 200:
        return [Result("CSV export (streamed)", name, n, 0.0, note=f"HTTP {measured['status']}: no export")]
    return [Result("CSV export of every complaint (streamed)", name, measured["rows"], measured["seconds"],
                   note=f"peak RSS {measured['peak_mb']:.0f} MB (before the export {measured['before_mb']:.0f} MB;"
                        f" limit {EXPORT_RSS_LIMIT_MB} MB); {measured['rows'] / measured['seconds']:,.0f} rows/s")]


def _export_in_this_process(url: str, upload_dir: str) -> dict:
    import logging

    from benchmarks.dataset import NOW
    from supervision.app import create_app
    from supervision.clock import FixedClock
    from supervision.config import Config

    logging.disable(logging.INFO)
    settings = {k: getattr(Config, k) for k in dir(Config) if k.isupper()}
    settings |= {"SQLALCHEMY_DATABASE_URI": url, "CLOCK": FixedClock(NOW), "RATELIMIT_ENABLED": False,
                 "SUPERVISION_SCHEDULER": False, "SECRET_KEY": "bench-export", "UPLOAD_DIR": upload_dir}
    app = create_app(settings)
    browser, _, _ = officer_clients(app)  # the log-in's Argon2 takes its memory and gives it back
    before = peak = _rss_mb()
    start = time.perf_counter()
    response = browser.get("/officer/complaints.csv", buffered=False)
    lines = size = 0
    for chunk in response.response:  # a batch of rows; the memory is sampled after each
        lines += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
        size += len(chunk)
        peak = max(peak, _rss_mb())
    seconds = time.perf_counter() - start
    response.close()
    return {"status": response.status_code, "rows": max(lines - 1, 0), "bytes": size, "seconds": seconds,
            "before_mb": before, "peak_mb": peak}


def _rss_mb() -> float:
    """Resident memory now (the process's high-water mark would still hold the log-in's Argon2)."""
    with open("/proc/self/status") as status:
        kilobytes = next(line.split()[1] for line in status if line.startswith("VmRSS:"))
    return int(kilobytes) / 1024


# --- running them ------------------------------------------------------------------------------

def own_app(app):
    """A second app on the same database. run.py holds `app`'s context around each case, and test
    requests made inside it would share that context's session, never torn down between them:
    a write transaction left open by one request would lock SQLite for the rest of the run."""
    from supervision.app import create_app

    return create_app({key: value for key, value in app.config.items() if key.isupper()})


# run.py's GROUPS runs these on each populated database (a case takes run.Context).
CASES = [
    ("(e) officer queue", lambda ctx: officer_queue(own_app(ctx.app), ctx.name, ctx.n)),
    ("(f) rare-term search", lambda ctx: rare_term_search(own_app(ctx.app), ctx.name, ctx.n)),
    ("(g) CSV export, RSS in a subprocess", lambda ctx: csv_export(ctx.url, ctx.upload_dir, ctx.name, ctx.n)),
]


if __name__ == "__main__":
    # `python -m benchmarks.queries export URL UPLOAD_DIR`: the CSV export measured in a fresh
    # process (csv_export above), its figures as the last line of standard output.
    if sys.argv[1:2] != ["export"] or len(sys.argv) != 4:
        sys.exit("usage: python -m benchmarks.queries export DATABASE_URL UPLOAD_DIR (run by benchmarks.run)")
    print(json.dumps(_export_in_this_process(sys.argv[2], sys.argv[3])))
