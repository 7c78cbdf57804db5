"""Public intake over HTTP against the one-INSERT endpoint (issue 10, target ratio ≥ 0.5).

Both apps are served by gunicorn with 2 sync workers on the benchmark's database; the load
generator (benchmarks/http_load.py) alternates between them, A B A B …, so a burst of load on
the shared machine falls on both. The real app runs with production settings except the rate
limits (one address would be refused after 20 intakes an hour) and the scheduler.
"""
import secrets
import statistics
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from benchmarks import http_load
from benchmarks.timing import Result

PATH = "/api/v1/complaints"


def intake_body(operator_id: int, province: str) -> dict:
    """A public complaint that passes every rule today (the servers run on the real clock)."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    return {"operator_id": operator_id, "province": province, "category": "network", "subcategory": "speed",
            "description": "Broadband drops every evening since last month.", "request": "repair the line",
            "operator_complaint_date": (today - timedelta(days=20)).isoformat(), "operator_answer": "dissatisfied",
            "event_date": (today - timedelta(days=30)).isoformat(),
            "complainant": {"name": "基准", "phone": "13800000000"}}


def server_env(url: str, upload_dir: str) -> dict[str, str]:
    return {"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16), "RATELIMIT_ENABLED": "0",
            "SUPERVISION_SCHEDULER": "0", "UPLOAD_DIR": upload_dir}


def public_intake_http(ctx) -> list[Result]:
    body = intake_body(ctx.operator_id, ctx.province)
    env = server_env(ctx.url, ctx.upload_dir)
    seconds, rounds = (1, 3) if ctx.quick else (5, 3)
    with http_load.gunicorn("wsgi:app", "benchmarks.bare_app:app", env=env) as (app_port, bare_port):
        targets = ((app_port, PATH), (bare_port, "/bare"))
        for port, path in targets:
            status, answer = http_load.post_once(port, path, body)
            assert status == 201, answer
        # Warm-up of every worker (lazy imports, catalogues, pools), both servers at once: not measured.
        with ThreadPoolExecutor(len(targets)) as pool:
            list(pool.map(lambda target: http_load.load(*target, body, 1), targets))
        samples = {"bare": [], "intake": []}
        for _ in range(rounds):
            samples["bare"].append(http_load.load(bare_port, "/bare", body, seconds))
            samples["intake"].append(http_load.load(app_port, PATH, body, seconds))
    bare, intake = (_summary(samples[key]) for key in ("bare", "intake"))
    tool = samples["bare"][0].tool
    # Requests/s: the ratio is intake ÷ bare (higher is better), unlike the time ratios.
    bare_row = Result(f"HTTP one-INSERT endpoint ({http_load.WORKERS} gunicorn workers, {tool})", ctx.name,
                      rounds, 1 / bare["rps"], note=_note(bare))
    intake_row = Result("HTTP public intake (POST /api/v1/complaints)", ctx.name, rounds, 1 / intake["rps"],
                        baseline=bare_row.case, ratio=intake["rps"] / bare["rps"],
                        note=_note(intake) + "; ratio = req/s ÷ one-INSERT req/s (target ≥ 0.5)",
                        summary_label="intake/INSERT")
    return [bare_row, intake_row]


def _summary(loads: list[http_load.Load]) -> dict:
    return {"rps": statistics.median(x.requests_per_s for x in loads),
            "p50": statistics.median(x.p50_ms for x in loads), "p99": statistics.median(x.p99_ms for x in loads),
            "errors": sum(x.errors for x in loads)}


def _note(summary: dict) -> str:
    errors = f", {summary['errors']} errors" if summary["errors"] else ""
    return f"{summary['rps']:.0f} req/s, p50 {summary['p50']:.1f} ms, p99 {summary['p99']:.1f} ms{errors}"


CASES = [("public intake over HTTP vs the one-INSERT endpoint", public_intake_http)]
