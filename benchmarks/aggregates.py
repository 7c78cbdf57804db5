"""Quarterly statistics and the satisfaction index against a hand-written SQL GROUP BY over the
same rows (target ≤ 1.5×), and the quarterly publication PDF (target ≤ 5 s, absolute)."""
from datetime import UTC, datetime, time

from sqlalchemy import select, text

from benchmarks.dataset import NOW
from benchmarks.timing import Result, Timed, against, interleaved_medians
from supervision.clock import local_date, local_tz
from supervision.extensions import db

# The rows the statistics read: a quarter's complaints (not rejected) by operator × province ×
# category, and their answer clocks by state; three quarters (current, previous, a year ago).
STATISTICS_SQL = """
SELECT operator_id, province, category, count(*) FROM complaints
 WHERE received_at >= :start AND received_at < :end AND status <> 'rejected'
 GROUP BY operator_id, province, category;
SELECT c.operator_id, c.province, d.state, count(*) FROM complaints c
  JOIN deadlines d ON d.subject_type = 'complaint' AND d.subject_id = c.id AND d.clock = 'answer'
 WHERE c.received_at >= :start AND c.received_at < :end AND c.status <> 'rejected'
 GROUP BY c.operator_id, c.province, d.state
"""
INDEX_SQL = """
SELECT operator_id, province, service, count(*), sum(satisfaction), sum(satisfaction * satisfaction),
       sum(expectations + perceived_quality + perceived_value + complaints + loyalty)
  FROM survey_responses WHERE period = :period GROUP BY operator_id, province, service
"""


def _officer():
    from supervision.access.models import User

    return db.session.scalar(select(User).where(User.username == "officer.cn"))


def _utc_bounds(period: str) -> dict:
    from supervision.statistics.rules import quarter_bounds

    start, end = quarter_bounds(period)
    return {"start": datetime.combine(start, time(), local_tz()).astimezone(UTC),
            "end": datetime.combine(end, time(), local_tz()).astimezone(UTC)}


def _period() -> str:
    from supervision.publications.periods import last_ended_quarter

    return str(last_ended_quarter(local_date(NOW)))


def statistics_vs_group_by(ctx) -> list[Result]:
    from supervision.operators.rules import previous_quarter, same_quarter_last_year
    from supervision.statistics.services import complaint_statistics

    period, officer = _period(), _officer()
    periods = (period, previous_quarter(period), same_quarter_last_year(period))

    def hand_written():
        for p in periods:
            for statement in STATISTICS_SQL.split(";"):
                db.session.execute(text(statement), _utc_bounds(p)).all()

    rounds = 3 if ctx.quick else 7
    bare_s, app_s = interleaved_medians([Timed(hand_written, db.session.rollback),
                                         Timed(lambda: complaint_statistics(period, officer), db.session.rollback)],
                                        rounds)
    bare = Result(f"hand-written GROUP BYs, 3 quarters ({period})", ctx.name, ctx.n, bare_s)
    app = Result("quarterly complaint statistics (all provinces)", ctx.name, ctx.n, app_s,
                 note="target ≤ 1.5 x", summary_label="stats/GROUP BY")
    return [bare, against(app, bare)]


def index_vs_group_by(ctx) -> list[Result]:
    from supervision.surveys import services

    period, officer = _period(), _officer()
    method = services.method_of(services.current_methodology())
    db.session.rollback()

    def fresh_transaction():
        # The rollback expires the officer; in a request the user is loaded before the view runs,
        # so reloading it is not the index's time.
        db.session.rollback()
        db.session.refresh(officer)

    rounds = 5 if ctx.quick else 7
    bare_s, app_s = interleaved_medians([
        Timed(lambda: db.session.execute(text(INDEX_SQL), {"period": period}).all(), fresh_transaction),
        Timed(lambda: services.index_cells(period, officer, method), fresh_transaction)], rounds)
    bare = Result(f"hand-written survey GROUP BY ({period})", ctx.name, ctx.surveys, bare_s)
    app = Result("satisfaction index, every cell", ctx.name, ctx.surveys, app_s,
                 note="target ≤ 1.5 x", summary_label="index/GROUP BY")
    return [bare, against(app, bare)]


def publication_pdf(ctx) -> list[Result]:
    """Prepare the quarterly complaint-statistics publication of Jiangsu (figures, charts, CSVs,
    the PDF), rolled back after each run; the one absolute target (≤ 5 s)."""
    from supervision.access.models import User
    from supervision.audit import Actor
    from supervision.publications.services import prepare_series

    period = _period()
    preparer = Actor.of(db.session.scalar(select(User).where(User.username == "officer.js")))
    rounds = 1 if ctx.quick else 3
    (seconds,) = interleaved_medians([Timed(lambda: prepare_series("complaint_statistics", period, "32",
                                                                   preparer, NOW), db.session.rollback)], rounds)
    db.session.rollback()
    row = Result(f"quarterly publication with PDF ({period}, Jiangsu)", ctx.name, ctx.n, seconds,
                 note="absolute; target ≤ 5 s", summary_label="PDF s")
    return [row]


CASES = [("quarterly statistics vs GROUP BY", statistics_vs_group_by),
         ("satisfaction index vs GROUP BY", index_vs_group_by),
         ("quarterly publication PDF", publication_pdf)]
