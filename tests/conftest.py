"""Test harness: one database per run (SQLite file, or a fresh PostgreSQL schema when
TEST_DATABASE_URL is set), built by the real migrations; tables emptied after each test;
a fixed, movable clock; factories that go through the real services."""
import logging
import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from supervision.clock import FixedClock
from tests.databases import migrated_app, throwaway_database_url

REFERENCE_TABLES = {"authorities", "clock_policies", "penalty_rules", "risk_methodologies", "methodology_versions",
                    "alembic_version"}
DEFAULT_NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Asia/Shanghai
VALID_USCCS = iter([])


@pytest.fixture(scope="session")
def database_url():
    with throwaway_database_url("test") as url:
        yield url


@pytest.fixture(scope="session")
def clock():
    return FixedClock(DEFAULT_NOW)


@pytest.fixture(scope="session")
def app(database_url, clock, tmp_path_factory):
    return migrated_app(database_url, clock, str(tmp_path_factory.mktemp("uploads")))


@pytest.fixture(autouse=True)
def _fresh_state(request, clock):
    """Each test starts with the reference data only and the clock at DEFAULT_NOW."""
    clock.current = DEFAULT_NOW
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    from supervision.extensions import db

    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                if table.name not in REFERENCE_TABLES:
                    conn.execute(table.delete())
            conn.execute(text("DELETE FROM authorities WHERE code = '00'"))
            conn.execute(text("UPDATE authorities SET accepts_complaints = :yes").bindparams(yes=True))


def sibling_app(app, **overrides):
    """Another app on the same database with some settings changed (e.g. production ones)."""
    from supervision.app import create_app

    return create_app({key: app.config[key] for key in app.config if key.isupper()} | overrides)


@pytest.fixture
def rate_limited_app(app):
    """A second app with rate limits on; the Limiter is a shared extension, so its switch is restored."""
    from supervision.extensions import limiter

    was_enabled = limiter.enabled
    try:
        yield sibling_app(app, RATELIMIT_ENABLED=True)
    finally:
        limiter.reset()
        limiter.enabled = was_enabled


@pytest.fixture(scope="session")
def live_server(app):
    """The app behind werkzeug's own server on a free port (browser tests; its access log)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def every_log(caplog):
    """Capture every logger at DEBUG. Loggers the migrations' fileConfig disabled are switched back on,
    so a silent logger cannot make a test that looks for personal data in the logs pass."""
    disabled = [lg for lg in logging.root.manager.loggerDict.values()
                if isinstance(lg, logging.Logger) and lg.disabled]
    for logger in disabled:
        logger.disabled = False
    caplog.set_level(logging.DEBUG)
    yield caplog
    for logger in disabled:
        logger.disabled = True


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    from tests.isolated_client import IsolatedClient

    return IsolatedClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def factory(app, ctx, clock):
    return Factory(clock)


class Factory:
    """Builds records through the real services (so they are valid and audited)."""

    def __init__(self, clock):
        self.clock = clock
        self._seq = 0

    def _next(self) -> int:
        self._seq += 1
        return self._seq

    @property
    def now(self):
        return self.clock.now()

    def admin(self):
        return self.user("admin")

    def user(self, role: str, *, authority: str | None = None, operator=None, publisher=False,
             head=False, credential=None, username=None, password="Correct-horse-1"):
        from supervision.access.services import create_user
        from supervision.extensions import db

        user = create_user(username or f"{role}{self._next()}", password, role, self.now,
                           authority=authority, operator_id=operator.id if operator else None,
                           publisher=publisher, head=head, credential=credential,
                           email=f"{role}{self._seq}@example.gov.cn")
        db.session.commit()
        return user

    def officer(self, authority: str = "32", **kw):
        return self.user("officer", authority=authority, credential=f"CRED-{authority}-{self._next()}", **kw)

    def headers(self, user) -> dict:
        from supervision.access.services import issue_token
        from supervision.extensions import db

        raw, _ = issue_token(user, self.now, 1)
        db.session.commit()
        return {"Authorization": f"Bearer {raw}"}

    def operator(self, *, scope: str = "provincial", province: str | None = "32", name: str | None = None,
                 valid_from=date(2024, 1, 1), valid_until=date(2030, 12, 31), hotline="10086", **kw):
        from supervision.access.models import User
        from supervision.extensions import db
        from supervision.operators.rules import make_uscc
        from supervision.operators.services import register_operator

        n = self._next()
        values = {"name": name or f"Test Telecom {n}", "name_en": None, "uscc": make_uscc("320100", 1000 + n),
                  "licence_no": f"B2-TEST-{n:04d}", "licence_type": "value_added", "scope": scope,
                  "province": province if scope == "provincial" else None, "licence_valid_from": valid_from,
                  "licence_valid_until": valid_until, "sanction": None,
                  "hotlines": [{"kind": "phone", "number": hotline, "label": None}]} | kw
        system_admin = User(id=None, username="factory", role="admin")
        operator = register_operator(values, system_admin, self.now, self.now.date())
        db.session.commit()
        return operator

    def complaint_body(self, operator, province: str = "32", **overrides) -> dict:
        body = {"operator_id": operator.id, "province": province, "category": "network",
                "subcategory": "coverage", "description": "No mobile signal at home since October.",
                "request": "Fix the coverage", "operator_complaint_date": "2026-10-20", "operator_answer": "none",
                "event_date": "2026-10-01", "disputed_months": [],
                "complainant": {"name": "王小明", "phone": "13800138000", "email": "wxm@example.com",
                                "address": "南京市玄武区中山路1号", "id_number": "320102199001011234"}}
        return body | overrides

    def complaint(self, operator, province: str = "32", **overrides):
        """A filed complaint (public intake) and its access code."""
        from marshmallow import Schema  # noqa: F401  (the API schema parses dates the same way)

        from blueprints.api.complaints import ComplaintIn
        from supervision.complaints.intake import file_complaint
        from supervision.extensions import db

        data = ComplaintIn().load(self.complaint_body(operator, province, **overrides))
        complaint, code = file_complaint(data, None, self.now, "web")
        db.session.commit()
        return complaint, code
