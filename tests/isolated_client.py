"""A test client whose every request runs in its own app context, as in production.

Flask reuses an app context that is already pushed (the `ctx` fixture's), so without this
all requests of a test would share one `g` (Flask-Login's user, Flask-Babel's locale, the
API caller) and one database session (a view that forgets to commit would still pass).
The test's own transaction is ended first: on SQLite it would hold the write lock. A streamed
body is read in the request's context too (stream_with_context needs it).
"""
import contextvars

from flask import has_app_context
from flask.testing import FlaskClient

from supervision.extensions import db


class IsolatedClient(FlaskClient):
    def open(self, *args, **kwargs):
        if has_app_context():  # not for redirects followed inside a request's own context
            db.session.commit()
        context = contextvars.Context()
        response = context.run(super().open, *args, **kwargs)
        if response.is_streamed:  # read later, by the test: in the request's context, as a server does
            response.response = _InContext(context, response.response)
        return response


class _InContext:
    """A streamed body whose every chunk (and its closing) runs in the request's context."""

    def __init__(self, context: contextvars.Context, iterable):
        self.context, self.iterator, self.iterable = context, None, iterable

    def __iter__(self):
        return self

    def __next__(self):
        if self.iterator is None:
            self.iterator = self.context.run(iter, self.iterable)
        return self.context.run(next, self.iterator)

    def close(self):
        if hasattr(self.iterable, "close"):
            self.context.run(self.iterable.close)
