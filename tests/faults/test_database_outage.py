"""The database going away (issue 11): while it cannot be reached, /healthz and every request
answer 503 with a clear message (an HTML page on the web, the JSON error shape under /api/),
never a 500; when it is back the app serves again by itself, without a restart.

One leg per database, chosen by the run (TEST_DATABASE_URL):
- PostgreSQL: a throw-away cluster of the test's own (Debian's initdb/pg_ctl) is stopped and
  started again under the running app;
- SQLite has no server to stop: what goes away is the storage holding the file (a volume
  unmounted, a directory moved). Connections already open keep their file handle, so the fault
  shows on the connections opened while it lasts; the pool is emptied as a worker restarting
  during the outage would find it, and the directory is then put back.
"""
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from supervision.extensions import db
from tests.conftest import Factory
from tests.databases import migrated_app
from tests.isolated_client import IsolatedClient

pytestmark = pytest.mark.slow
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PASSWORD = "Correct-horse-1"
ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")


def _prepare(app, clock):
    """An operator and a signed-in officer, made while the database is up."""
    with app.app_context():
        factory = Factory(clock)
        operator = factory.operator()
        officer = factory.officer("32")
        body = factory.complaint_body(operator)
        username = officer.username
    browser = IsolatedClient(app, app.response_class, use_cookies=True)
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert browser.post("/login", data={"username": username, "password": PASSWORD}).status_code == 303
    return browser, body


def _answers(app, browser, body) -> dict[str, object]:
    api = app.test_client()
    return {
        "healthz": api.get("/healthz"),
        "public page": api.get("/operators", headers={"Accept-Language": "en"}),
        "officer page": browser.get("/officer/complaints"),
        "api read": api.get("/api/v1/operators"),
        "api intake": api.post("/api/v1/complaints", json=body),
    }


def assert_unavailable(answers) -> None:
    for name, response in answers.items():
        assert response.status_code == 503, (name, response.status_code, response.get_data(as_text=True)[:300])
        assert int(response.headers["Retry-After"]) > 0, name
    assert answers["healthz"].json == {"status": "unavailable"}
    for name in ("public page", "officer page"):
        page = answers[name].get_data(as_text=True)
        assert answers[name].mimetype == "text/html"
        assert "cannot reach its database" in page and "Nothing was saved" in page, name
    for name in ("api read", "api intake"):
        error = answers[name].json
        assert error["code"] == 503 and "cannot reach its database" in error["message"], name


def assert_serving(answers) -> None:
    assert answers["healthz"].json == {"status": "ok"}
    assert [answers[name].status_code for name in ("public page", "officer page", "api read", "api intake")] \
        == [200, 200, 200, 201]


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite leg; the PostgreSQL leg stops a cluster of its own")
def test_sqlite_storage_gone_answers_503_then_recovers(clock, tmp_path):
    volume = tmp_path / "volume"
    volume.mkdir()
    app = migrated_app(f"sqlite:///{volume}/supervision.db", clock, str(tmp_path / "uploads"))
    browser, body = _prepare(app, clock)
    assert_serving(_answers(app, browser, body))

    volume.rename(tmp_path / "unmounted")
    with app.app_context():
        db.engine.dispose()  # a worker starting now: no connection opened before the fault
    assert_unavailable(_answers(app, browser, body))

    (tmp_path / "unmounted").rename(volume)
    assert_serving(_answers(app, browser, body))  # nothing restarted, nothing disposed


def _free_port() -> int:
    # The port is given to postgres after this socket closes: a small window, as with any
    # server that cannot take an open socket; the cluster start fails loudly if it was taken.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(*command: str, check: bool = True) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(prefix + list(command), check=check, capture_output=True, timeout=60)


@contextmanager
def throwaway_cluster():
    """A PostgreSQL cluster in a temp dir on a free port; yields (url, start, stop)."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"no PostgreSQL server binaries in {PG_BIN}")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("postgres refuses to run as root and runuser is missing")
    root = Path(tempfile.mkdtemp(prefix="supervision-pgcluster-"))
    data, port = root / "data", _free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"

    def start():
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start")

    def stop():
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")

    _as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    start()
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", start, stop
    finally:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL leg (TEST_DATABASE_URL)")
def test_postgresql_stopped_answers_503_then_recovers(clock, tmp_path):
    with throwaway_cluster() as (url, start, stop):
        app = migrated_app(url, clock, str(tmp_path / "uploads"))
        browser, body = _prepare(app, clock)
        assert_serving(_answers(app, browser, body))  # the pool now holds live connections

        stop()  # those connections die with the server
        assert_unavailable(_answers(app, browser, body))
        assert_unavailable(_answers(app, browser, body))  # and again: nothing stuck half-way

        start()
        assert_serving(_answers(app, browser, body))  # pool_pre_ping replaces the dead connections
        with app.app_context():
            db.engine.dispose()  # before the cluster goes: no connection left to it
