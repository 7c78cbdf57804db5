"""Throw-away databases for tests: a SQLite file, or a fresh PostgreSQL schema when
TEST_DATABASE_URL is set, so runs never collide; and apps built on them by the real migrations."""
import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from urllib.parse import quote

from sqlalchemy import create_engine, text

from supervision.config import TestConfig


@contextlib.contextmanager
def postgres_schema(base_url: str, prefix: str) -> Iterator[str]:
    """A URL whose connections live in a fresh schema of `base_url`'s database, dropped afterwards."""
    schema = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@contextlib.contextmanager
def throwaway_database_url(prefix: str) -> Iterator[str]:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        with tempfile.TemporaryDirectory(prefix=f"supervision-{prefix}-") as tmp:
            yield f"sqlite:///{tmp}/{prefix}.db"
        return
    with postgres_schema(base, f"t_{prefix}") as url:
        yield url


def migrated_app(database_url: str, clock, upload_dir: str, **overrides):
    """An app on `database_url` with TestConfig settings, its schema built by the migrations."""
    from flask_migrate import upgrade

    from supervision.app import create_app

    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    settings |= {"SQLALCHEMY_DATABASE_URI": database_url, "CLOCK": clock, "UPLOAD_DIR": upload_dir} | overrides
    application = create_app(settings)
    with application.app_context():
        upgrade()
    return application
