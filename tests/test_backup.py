"""Backups (`flask --app wsgi backup FILE` / `restore FILE`): the database and the evidence files
restore into a fresh database, where `audit verify` passes and every file is back, byte for byte.
On PostgreSQL the dump is the app's schema (pg_dump -Fc), restored into a fresh database."""
import contextlib
import os
import secrets
import sqlite3
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from supervision.audit import COMPLAINANT
from supervision.complaints.attachments import store_attachment
from supervision.extensions import db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@contextlib.contextmanager
def fresh_database_like(app, tmp_path: Path):
    """An empty database of the same kind as the test app's, and its URL."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"restore_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(url.set(query={}), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        # The dump carries the app's schema; the URL keeps its search_path, so the restored
        # app reads the same schema name in the new database.
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def restored_app(app, url, upload_dir):
    from tests.conftest import sibling_app

    return sibling_app(app, SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=str(upload_dir))


def run_in(application, *args):
    """A command of `application` (its own app context: the test's context is the original app's)."""
    with application.app_context():
        return application.test_cli_runner().invoke(args=list(args))


def test_a_backup_restores_into_a_fresh_database_with_its_evidence(app, factory, tmp_path):
    complaint, _ = factory.complaint(factory.operator())
    stored = store_attachment(complaint, "bill.png", PNG, COMPLAINANT, factory.now)
    db.session.commit()
    archive = tmp_path / "backup.tar.gz"
    made = app.test_cli_runner().invoke(args=["backup", str(archive)])
    assert made.exit_code == 0, made.output
    with tarfile.open(archive) as tar:
        assert "manifest.json" in tar.getnames()

    with fresh_database_like(app, tmp_path) as url:
        uploads = tmp_path / "restored-uploads"
        fresh = restored_app(app, url, uploads)
        restored = run_in(fresh, "restore", str(archive))
        assert restored.exit_code == 0, restored.output
        verified = run_in(fresh, "audit", "verify")
        assert verified.exit_code == 0 and "intact" in verified.output, verified.output
        restored_db = create_engine(url)
        with restored_db.connect() as conn:
            count = conn.scalar(text("SELECT count(*) FROM complaints WHERE reference = :r"),
                                {"r": complaint.reference})
        restored_db.dispose()
        assert count == 1
        assert (uploads / stored.storage_key[:2] / stored.storage_key).read_bytes() == PNG
        again = run_in(fresh, "restore", str(archive))
        assert again.exit_code != 0 and "already holds tables" in again.output


def test_a_damaged_archive_is_refused_before_anything_is_loaded(app, factory, tmp_path):
    factory.operator()
    archive = tmp_path / "backup.tar.gz"
    assert app.test_cli_runner().invoke(args=["backup", str(archive)]).exit_code == 0
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # noqa: SIM115
            if member.name.startswith("database."):
                middle = len(data) // 2
                data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]
            member.size = len(data)
            import io

            target.addfile(member, io.BytesIO(data))
    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "sqlite":
        pytest.skip("the refusal is the same on both databases; one is enough")
    fresh = restored_app(app, f"sqlite:///{tmp_path / 'fresh.db'}", tmp_path / "u")
    result = run_in(fresh, "restore", str(damaged))
    assert result.exit_code != 0 and "SHA-256" in result.output
    with contextlib.closing(sqlite3.connect(tmp_path / "fresh.db")) as fresh_db:
        assert fresh_db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone() == (0,)
