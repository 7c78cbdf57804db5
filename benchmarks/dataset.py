"""A throw-away database built by the real migrations, filled in bulk with SQLAlchemy Core.

SQLite lives in a temporary directory; PostgreSQL (when reachable) in a schema of its own
that is dropped afterwards, so the benchmark never touches anyone's data.
"""
import contextlib
import logging
import os
import secrets
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from sqlalchemy import create_engine, insert, select, text

from supervision.clock import FixedClock
from supervision.config import Config
from tests.databases import postgres_schema

# A fixed moment (Thursday 10:00 in Asia/Shanghai) inside the official calendar's years.
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)
PROVINCE = "32"
OPEN_EVERY = 7  # one complaint in 7 is still open, the rest are closed (clocks met)
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextlib.contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="supervision-bench-") as tmp:
        yield f"sqlite:///{tmp}/bench.db"


@contextlib.contextmanager
def postgres_url() -> Iterator[str | None]:
    """A fresh schema on the local PostgreSQL, or None when it is not reachable."""
    try:
        probe = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with probe.connect():
            pass
        probe.dispose()
    except Exception:  # noqa: BLE001 — any failure to connect means "skip PostgreSQL"
        yield None
        return
    with postgres_schema(POSTGRES_URL, "bench") as url:
        yield url


def bench_app(url: str, upload_dir: str) -> Flask:
    """The real app with production settings (argon2 cost included) on the throw-away database."""
    from flask_migrate import upgrade

    from supervision.app import create_app

    settings = {k: getattr(Config, k) for k in dir(Config) if k.isupper()}
    # Rate limits would refuse repeated intakes from one address; they are not what is measured.
    settings |= {"SQLALCHEMY_DATABASE_URI": url, "CLOCK": FixedClock(NOW), "RATELIMIT_ENABLED": False,
                 "SUPERVISION_SCHEDULER": False, "SECRET_KEY": secrets.token_hex(16),
                 "UPLOAD_DIR": upload_dir}
    app = create_app(settings)
    logging.disable(logging.INFO)  # alembic's "Running upgrade …" lines would break the progress line
    try:
        with app.app_context():
            upgrade()
    finally:
        logging.disable(logging.NOTSET)
    return app


def populate(n_complaints: int) -> dict:
    """One operator, one officer (head), n complaints with two clocks each; returns ids."""
    from supervision.access.models import User
    from supervision.access.passwords import hash_secret
    from supervision.access.services import create_user
    from supervision.complaints.models import Complaint, Deadline
    from supervision.extensions import db
    from supervision.operators.rules import make_uscc
    from supervision.operators.services import register_operator

    operator = register_operator(
        {"name": "基准测试电信", "name_en": "Bench Telecom", "uscc": make_uscc("320100", 4242),
         "licence_no": "B2-BENCH-0001", "licence_type": "value_added", "scope": "provincial",
         "province": PROVINCE, "licence_valid_from": date(2024, 1, 1),
         "licence_valid_until": date(2030, 12, 31),
         "sanction": None, "hotlines": [{"kind": "phone", "number": "10086"}]},
        User(id=None, username="bench", role="admin"), NOW, TODAY)
    create_user("bench.head", "Bench-password-1", "officer", NOW, authority=PROVINCE, head=True,
                email="head@bench.example")
    operator_id = operator.id
    # Commit before the bulk load: on SQLite every transaction takes the write lock (BEGIN
    # IMMEDIATE), so nothing may touch the session between this commit and the Core inserts.
    db.session.commit()
    code_hash = hash_secret("BENCHCODE22")
    rows = [complaint_row(i, operator_id, code_hash) for i in range(n_complaints)]
    with db.engine.begin() as conn:
        conn.execute(insert(Complaint.__table__), rows)
        ids = conn.execute(select(Complaint.id).order_by(Complaint.id)).scalars().all()
        clocks = [row for i, complaint_id in enumerate(ids) for row in _deadline_rows(i, complaint_id)]
        conn.execute(insert(Deadline.__table__), clocks)
    _analyze()
    return {"operator_id": operator_id, "complaint_ids": ids}


def complaint_row(i: int, operator_id: int, code_hash: str) -> dict:
    received = NOW - timedelta(days=400) + timedelta(minutes=29 * i)
    is_open = i % OPEN_EVERY == 0
    return {"reference": f"TS-{PROVINCE}-{received:%Y%m%d}-{i:06d}", "access_code_hash": code_hash,
            "operator_id": operator_id, "province": PROVINCE, "authority_code": PROVINCE,
            "category": "network", "subcategory": "coverage", "description": bench_facts(i),
            "request": "fix it", "operator_complaint_date": received.date() - timedelta(days=20),
            "operator_answer": "dissatisfied", "event_date": received.date() - timedelta(days=40),
            "disputed_months": [], "channel": "web", "received_at": received,
            "complainant_name": bench_name(i), "complainant_phone": bench_phone(i),
            "status": "accepted" if is_open else "closed", "supervised": False,
            "created_at": received, "updated_at": received}


# Varied personal data and facts, so that a search has something to tell apart: a name is
# shared by about one complaint in 18,000, a phone and a facts code by one complaint only.
SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞鹏辉宁"


def bench_name(i: int) -> str:
    return SURNAMES[i % 20] + GIVEN[i // 20 % 30] + GIVEN[i // 600 % 30]


def bench_phone(i: int) -> str:
    return f"1{3 + i % 7}{i * 7919 % 10**9:09d}"  # 7919 is prime to 10**9: unique per complaint


def bench_facts(i: int) -> str:
    return f"Bench complaint: no signal near base station BS{i * 7927 % 10**7:07d} since last month."


def _deadline_rows(i: int, complaint_id: int) -> list[dict]:
    """Closed complaints: both clocks met. Open ones: the answer clock runs, due 5–29 days ahead."""
    started = TODAY - timedelta(days=30)
    answer_due = TODAY + timedelta(days=5 + i % 25) if i % OPEN_EVERY == 0 else started + timedelta(days=30)
    answer_state = "pending" if i % OPEN_EVERY == 0 else "met"
    common = {"subject_type": "complaint", "subject_id": complaint_id, "started_on": started, "provisional": False, "paused_days": 0,
              "explanation": {}}
    # A met clock has had its stop event (as in the workflow): only running ones await it.
    stopped = datetime.combine(started + timedelta(days=3), datetime.min.time(), UTC)
    return [common | {"clock": "acceptance", "due": started + timedelta(days=7), "state": "met",
                      "stopped_at": stopped},
            common | {"clock": "answer", "due": answer_due, "state": answer_state,
                      "stopped_at": None if answer_state == "pending" else stopped}]


def _analyze() -> None:
    """Fresh planner statistics, as autovacuum / a DBA would have them on a live system."""
    from supervision.extensions import db

    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
