"""A test client whose every request runs in its own app context, as in production.

Flask reuses an app context that is already pushed (the `ctx` fixture's), so without this
all requests of a test would share one `g` (Flask-Login's user, Flask-Babel's locale, the
API caller) and one database session (a view that forgets to commit would still pass).
The test's own transaction is ended first: on SQLite it would hold the write lock.
"""
import contextvars

from flask import has_app_context
from flask.testing import FlaskClient

from supervision.extensions import db


class IsolatedClient(FlaskClient):
    def open(self, *args, **kwargs):
        if has_app_context():  # not for redirects followed inside a request's own context
            db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)
