"""Backups: the database and the uploaded evidence in one archive, restorable into a fresh database.

An archive (tar.gz) holds `manifest.json` (when, which database kind, the schema revision, the
SHA-256 of each member), the database (`database.sqlite` through SQLite's online backup API,
consistent while the app runs; or `database.pgdump` from `pg_dump -Fc` of the app's schema) and
`uploads/`. Restoring checks every hash first, refuses a database that already holds tables,
and then loads the database and the files.
"""
import hashlib
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from datetime import datetime
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url

from supervision.extensions import db

FORMAT = 1


class BackupError(RuntimeError):
    """The backup or restore cannot go on; the message says why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _libpq_url(url: URL) -> str:
    """The SQLAlchemy URL as pg_dump / pg_restore take it (no driver suffix)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _dump_database(url: URL, folder: Path) -> str:
    if url.get_backend_name() == "sqlite":
        target = folder / "database.sqlite"
        _sqlite_copy(url.database, target)
        return target.name
    schema = db.session.scalar(text("SELECT current_schema()"))
    target = folder / "database.pgdump"
    _run(["pg_dump", "--format=custom", "--no-owner", f"--schema={schema}", f"--file={target}",
          f"--dbname={_libpq_url(url)}"])
    return target.name


def _sqlite_copy(source_path, target_path) -> None:
    """SQLite's online backup API: a consistent copy even while the app writes."""
    with closing(sqlite3.connect(source_path)) as source, closing(sqlite3.connect(target_path)) as target:
        source.backup(target)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")


def create_backup(archive: Path, upload_dir: Path, now: datetime) -> dict:
    """Write the archive; returns its manifest."""
    url = make_url(str(db.engine.url))
    revision = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    with tempfile.TemporaryDirectory(prefix="supervision-backup-") as tmp:
        folder = Path(tmp)
        members = [_dump_database(url, folder)]
        if upload_dir.is_dir():
            shutil.copytree(upload_dir, folder / "uploads")
            members += [str(p.relative_to(folder)) for p in sorted((folder / "uploads").rglob("*")) if p.is_file()]
        manifest = {"format": FORMAT, "created_at": now.isoformat(), "database": url.get_backend_name(),
                    "revision": revision, "sha256": {m: _sha256(folder / m) for m in members}}
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        with tarfile.open(archive, "w:gz") as tar:
            for name in ["manifest.json", *members]:
                tar.add(folder / name, arcname=name)
    return manifest


def _unpack(archive: Path, folder: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(folder, filter="data")  # refuses absolute paths and links out of the folder
    manifest = json.loads((folder / "manifest.json").read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for member, expected in manifest["sha256"].items():
        if _sha256(folder / member) != expected:
            raise BackupError(f"{member} does not match its SHA-256 in the manifest: the archive is damaged")
    return manifest


def restore_backup(archive: Path, upload_dir: Path) -> dict:
    """Load the archive into this (empty) database and upload folder; returns its manifest."""
    url = make_url(str(db.engine.url))
    if inspect(db.engine).get_table_names():
        raise BackupError("the target database already holds tables: restore into a fresh, empty database")
    if upload_dir.is_dir() and any(upload_dir.iterdir()):
        raise BackupError(f"the upload folder {upload_dir} is not empty")
    with tempfile.TemporaryDirectory(prefix="supervision-restore-") as tmp:
        folder = Path(tmp)
        manifest = _unpack(archive, folder)
        if manifest["database"] != url.get_backend_name():
            raise BackupError(f"this backup is of a {manifest['database']} database; the target is "
                              f"{url.get_backend_name()}")
        db.session.remove()
        db.engine.dispose()
        _load_database(url, folder)
        if (folder / "uploads").is_dir():
            shutil.copytree(folder / "uploads", upload_dir, dirs_exist_ok=True)
    return manifest


def _load_database(url: URL, folder: Path) -> None:
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(folder / "database.sqlite", url.database)
        return
    # The search index's operator classes come from pg_trgm, an extension kept in `public`
    # (migration 0011), which a dump of the application's schema does not carry.
    with db.engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
    db.engine.dispose()
    _run(["pg_restore", "--no-owner", "--exit-on-error", "--clean", "--if-exists", f"--dbname={_libpq_url(url)}",
          str(folder / "database.pgdump")])
