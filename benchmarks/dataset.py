"""A throw-away database built by the real migrations, filled in bulk with SQLAlchemy Core.

SQLite lives in a temporary directory; PostgreSQL (when reachable) in a schema of its own
that is dropped afterwards, so the benchmark never touches anyone's data.
"""
import contextlib
import logging
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime

from flask import Flask
from sqlalchemy import create_engine, select

from supervision.clock import FixedClock
from supervision.config import Config
from tests.databases import postgres_schema

# A fixed moment (Thursday 10:00 in Asia/Shanghai) inside the official calendar's years.
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)
PROVINCE = "32"
DEMO_OPERATOR = "A1.A2-20090001"  # China Mobile, national: files in every province
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
    """The real app with production settings on the throw-away database."""
    from flask_migrate import upgrade

    from supervision.app import create_app

    settings = {k: getattr(Config, k) for k in dir(Config) if k.isupper()}
    # Rate limits would refuse repeated intakes from one address; they are not what is measured.
    settings |= {"SQLALCHEMY_DATABASE_URI": url, "CLOCK": FixedClock(NOW), "RATELIMIT_ENABLED": False,
                 "SUPERVISION_SCHEDULER": False, "SECRET_KEY": secrets.token_hex(16),
                 "UPLOAD_DIR": upload_dir}
    # No case logs in with a password: hashing the ~20 demo users' passwords at the production
    # Argon2 cost was a third of the quick run's set-up. (gunicorn's app keeps production settings.)
    settings |= {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024}
    app = create_app(settings)
    logging.disable(logging.INFO)  # alembic's "Running upgrade …" lines would break the progress line
    try:
        with app.app_context():
            upgrade()
    finally:
        logging.disable(logging.NOTSET)
    return app


def build(url: str, n_complaints: int, n_surveys: int) -> None:
    """Migrate and fill the database at `url` (see populate)."""
    from supervision.extensions import db

    with tempfile.TemporaryDirectory(prefix="supervision-bench-uploads-") as uploads:
        app = bench_app(url, uploads)
        with app.app_context():
            populate(n_complaints, n_surveys)
            db.session.remove()
            db.engine.dispose()


def build_in_child(url: str, n_complaints: int, n_surveys: int) -> subprocess.Popen:
    """build() in a child process, so that two databases are filled at the same time (the
    generator is Python-bound: a thread would wait on the GIL); wait() for it before measuring."""
    return subprocess.Popen([sys.executable, "-m", "benchmarks.dataset", url, str(n_complaints), str(n_surveys)])


def demo_operator_id() -> int:
    from supervision.extensions import db
    from supervision.operators.models import Operator

    operator_id = db.session.scalar(select(Operator.id).where(Operator.licence_no == DEMO_OPERATOR))
    db.session.rollback()
    return operator_id


def populate(n_complaints: int, n_surveys: int = 0) -> dict:
    """The demo operators and users, then `n_complaints` generated complaints (two clocks each)
    and `n_surveys` survey responses, bulk-inserted by the domain's generator
    (supervision/demo_generate.py, as `flask demo generate` does); returns ids."""
    from supervision.demo import load_demo_reference
    from supervision.demo_generate import generate
    from supervision.extensions import db
    from supervision.operators.models import Operator

    # Users, operators, subscriber counts: the cases need no played demo complaint.
    load_demo_reference(NOW, echo=lambda *args: None)
    db.session.commit()
    generate(n_complaints, n_surveys, NOW)
    operator_id = db.session.scalar(select(Operator.id).where(Operator.licence_no == DEMO_OPERATOR))
    db.session.commit()
    return {"operator_id": operator_id}


if __name__ == "__main__":  # build_in_child: python -m benchmarks.dataset URL COMPLAINTS SURVEYS
    build(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
