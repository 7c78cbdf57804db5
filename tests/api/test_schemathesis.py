"""Property-based API test (SPEC §10, STYLE §9): no input, from any caller, makes the API answer 5xx.

Runs on its own app and database (SQLite file, or its own PostgreSQL schema with
TEST_DATABASE_URL), seeded once with an operator, a transferred complaint and one user per
role, because the suite's per-test cleanup would empty the shared database between operations.
Each generated request is sent as generated, and again with the seeded ids in its path so the
handlers behind existing records are exercised too.
"""
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy import event

from supervision.clock import FixedClock
from tests.conftest import DEFAULT_NOW, Factory
from tests.databases import migrated_app, throwaway_database_url

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    from supervision.extensions import db

    with throwaway_database_url("fuzz") as url:
        app = migrated_app(url, FixedClock(DEFAULT_NOW), str(tmp_path_factory.mktemp("fuzz-uploads")))
        with app.app_context():
            if db.engine.dialect.name == "sqlite":
                # A throw-away database: no fsync per commit (this test makes thousands of requests).
                event.listen(db.engine, "connect", lambda conn, _: conn.execute("PRAGMA synchronous=OFF"))
                db.engine.dispose()  # new connections from here on get the pragma
            app.extensions["fuzz_seed"] = _seed(Factory(app.extensions["clock"]))
        yield app
        with app.app_context():
            db.engine.dispose()


def _seed(factory: Factory) -> dict:
    from supervision.audit import Actor
    from supervision.complaints import transitions
    from supervision.extensions import db

    operator = factory.operator(province="32", valid_from=date(2024, 1, 1))
    factory.operator(scope="national", province=None)
    officer = factory.officer("32")
    users = {"admin": factory.admin(), "officer": officer, "staff": factory.user("operator", operator=operator),
             "oversight": factory.user("oversight")}
    complaint, code = factory.complaint(operator, "32")
    factory.complaint(operator, "32")
    for action in ("accept", "transfer"):
        transitions.perform(complaint, action, {}, Actor.of(officer), factory.now)
    db.session.commit()
    return {"operator_id": operator.id, "reference": complaint.reference, "access_code": code,
            "user_ids": {role: user.id for role, user in users.items()}, "tokens": {}}


def _openapi_document() -> dict:
    """The document as the app serves it; building an app touches no database."""
    from supervision.app import create_app
    from supervision.config import TestConfig

    app = create_app({k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()})
    return app.test_client().get("/api/v1/openapi.json").json


# Loaded at import (the lazy `from_fixture` loader does not run under pytest 9); requests go to
# the fuzz app, passed to each call.
schema = schemathesis.openapi.from_dict(_openapi_document())


def bearer_headers(app, role: str) -> dict:
    """The role's token; a new one after a generated DELETE /auth/token revoked it."""
    if role == "public":
        return {}
    tokens = app.extensions["fuzz_seed"]["tokens"]
    if role not in tokens:
        from supervision.access.models import User
        from supervision.access.services import issue_token
        from supervision.extensions import db

        with app.app_context():
            user = db.session.get(User, app.extensions["fuzz_seed"]["user_ids"][role])
            tokens[role], _ = issue_token(user, app.extensions["clock"].now(), 1)
            db.session.commit()
    return {"Authorization": f"Bearer {tokens[role]}"}


def call(case, app, role: str):
    response = case.call_and_validate(app=app, headers=bearer_headers(app, role), checks=[not_a_server_error])
    if case.method.upper() == "DELETE" and case.path.endswith("/auth/token"):
        app.extensions["fuzz_seed"]["tokens"].pop(role, None)
    return response


def with_seeded_path(case, seed: dict) -> bool:
    """Point the case's path at the seeded records; False when the path has nothing to point."""
    from supervision.complaints.transitions import ACTIONS

    params = case.path_parameters or {}
    if not {"operator_id", "reference"} & set(params):
        return False
    if "operator_id" in params:
        params["operator_id"] = seed["operator_id"]
    if "reference" in params:
        params["reference"] = seed["reference"]
    if "action" in params:
        params["action"] = ACTIONS[len(str(params["action"])) % len(ACTIONS)]
    return True


@pytest.mark.parametrize("role", ["public", "admin", "officer", "staff"])
@schema.parametrize()
@settings(max_examples=15, derandomize=True, deadline=None, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, role, fuzz_app):
    assert call(case, fuzz_app, role).status_code < 500
    if with_seeded_path(case, fuzz_app.extensions["fuzz_seed"]):
        assert call(case, fuzz_app, role).status_code < 500


@schema.include(path_regex="/personal-data-reads").parametrize()
@settings(max_examples=60, derandomize=True, deadline=None, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_the_read_log_filters_never_fail_for_the_oversight_role(case, fuzz_app):
    """The only role that gets past the 403 of GET /personal-data-reads: its filters reach the query."""
    assert call(case, fuzz_app, "oversight").status_code < 500
