"""The application factory: the one place where everything is wired."""
import logging
import os
import sqlite3

from flask import Flask
from flask_babel import lazy_gettext
from sqlalchemy import event
from sqlalchemy.engine import Engine

from supervision.clock import SystemClock
from supervision.config import DEV_SECRET_KEY, INSTANCE_DIR, Config
from supervision.extensions import babel, csrf, db, limiter, login_manager, migrate

log = logging.getLogger(__name__)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR),
                template_folder=os.path.join(ROOT, "templates"), static_folder=os.path.join(ROOT, "static"))
    app.config.from_object(Config)
    if config:
        app.config.update(config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.extensions["clock"] = app.config.get("CLOCK") or SystemClock()

    trust_proxies(app)
    register_extensions(app)
    register_deadline_subjects()
    register_blueprints(app)
    register_cli(app)
    register_logging(app)
    if app.config["SECRET_KEY"] == DEV_SECRET_KEY and not app.testing:
        log.warning("SECRET_KEY is the development default: set SECRET_KEY before serving real users")
    register_scheduler(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies, read the client's address and scheme from their X-Forwarded-* headers.

    Only as many hops as are configured are trusted: with none (the default), a client's own
    X-Forwarded-For changes nothing, so it cannot choose the address its rate limits count.
    """
    hops = app.config["TRUSTED_PROXIES"]
    if hops < 0:
        raise ValueError("TRUSTED_PROXIES must be 0 or a positive number of proxies")
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def register_extensions(app: Flask) -> None:
    from supervision import models  # noqa: F401  (every table on the metadata)
    from supervision.access.scoping import _register_rules
    from supervision.access.sessions import user_for_session

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please log in to see this page.")
    login_manager.user_loader(user_for_session)
    _register_rules()

    from blueprints.web.i18n import select_locale
    babel.init_app(app, locale_selector=select_locale)


def register_deadline_subjects() -> None:
    """Each kind of record with deadlines registers itself with the shared sweep and due view."""
    import supervision.complaints.sweep  # noqa: F401
    import supervision.obligations.samples  # noqa: F401
    import supervision.obligations.self_inspection_subject  # noqa: F401
    import supervision.orders.sweep  # noqa: F401  (orders and inspections)


def register_blueprints(app: Flask) -> None:
    from blueprints.api import register_api
    from blueprints.converters import register_converters
    from blueprints.errors import register_error_handlers
    from blueprints.guards import refuse_nul_characters
    from blueprints.security_headers import register_security_headers
    from blueprints.transactions import register_transaction_hooks
    from blueprints.web import register_web

    register_converters(app)
    register_api(app)
    register_web(app)
    register_error_handlers(app)
    app.before_request(refuse_nul_characters)
    register_security_headers(app)
    register_transaction_hooks(app)


def register_cli(app: Flask) -> None:
    from supervision.cli import register_commands

    register_commands(app)


def register_logging(app: Flask) -> None:
    from supervision.logging_filters import install_redaction

    install_redaction()


def register_scheduler(app: Flask) -> None:
    """Run the jobs in-process when asked (make run); production runs `flask scheduler run`.

    With the reloader, Flask runs the app twice: only the child (WERKZEUG_RUN_MAIN) starts
    the scheduler, so there is one instance.
    """
    if not app.config["SUPERVISION_SCHEDULER"] or app.testing:
        return
    if app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return
    from supervision.scheduler import start_background_scheduler

    start_background_scheduler(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # Writers queue this long for the lock; past it the request answers 503 (blueprints/errors.py).
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    # We issue BEGIN ourselves (below) instead of pysqlite's deferred one.
    dbapi_connection.isolation_level = None


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    """SQLite's single-writer guard: writers take the write lock when their transaction starts.

    A deferred transaction that reads and then writes fails with "database is locked" when
    another writer committed in between; BEGIN IMMEDIATE makes concurrent writers (two
    scheduler processes, simultaneous intakes) queue on busy_timeout instead. Requests that
    only read begin deferred and never take the lock (supervision/db_locking.py).
    """
    if conn.dialect.name == "sqlite":
        from supervision.db_locking import begin_statement

        conn.exec_driver_sql(begin_statement())
