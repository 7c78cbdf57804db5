"""When a transaction takes SQLite's single write lock (PostgreSQL is unaffected).

SQLite lets one writer at a time. A transaction that reads first and writes later
(`BEGIN DEFERRED`) fails at once with "database is locked" when another writer committed in
between, so writers begin with `BEGIN IMMEDIATE`: they take the lock up front and queue on
busy_timeout instead. Readers must not: in WAL mode a reader sees a snapshot and never waits,
so a transaction that only reads begins deferred and never holds the lock.

Jobs, CLI commands and requests that change things (POST, PUT, PATCH, DELETE) begin
IMMEDIATE (the default); requests that only read (GET, HEAD, OPTIONS) run inside
`deferred_transactions()`. Slow checks (a password's Argon2) run inside `reading()`, whose
transaction ends before the write that follows takes the lock.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from supervision.extensions import db

_lock_at_begin: ContextVar[bool] = ContextVar("sqlite_write_lock_at_begin", default=True)


def begin_statement() -> str:
    return "BEGIN IMMEDIATE" if _lock_at_begin.get() else "BEGIN"


@contextmanager
def deferred_transactions() -> Iterator[None]:
    """Transactions begun inside take no write lock unless they write."""
    token = _lock_at_begin.set(False)
    try:
        yield
    finally:
        _lock_at_begin.reset(token)


def enter_deferred_transactions():
    """For a request hook: the token to give back to `leave_deferred_transactions`."""
    return _lock_at_begin.set(False)


def leave_deferred_transactions(token) -> None:
    _lock_at_begin.reset(token)


@contextmanager
def writing() -> Iterator[None]:
    """Transactions begun inside take the write lock up front, even within a reading request
    (a GET that writes its personal-data read log once its reads are done)."""
    token = _lock_at_begin.set(True)
    try:
        yield
    finally:
        _lock_at_begin.reset(token)


@contextmanager
def reading() -> Iterator[None]:
    """Read (and check a password) without the write lock; the transaction ends afterwards.

    Only a transaction this block began is ended (a caller's open transaction is left as
    it is), so the next statement begins a fresh one that takes the lock if it writes.
    """
    began_here = not db.session().in_transaction()
    with deferred_transactions():
        yield
        if began_here and db.session().in_transaction():
            db.session.commit()  # nothing was written: this only ends the read snapshot
