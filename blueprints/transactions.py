"""Which requests may take the database's write lock (supervision/db_locking.py).

A request that only reads (GET, HEAD, OPTIONS) runs its transactions deferred, so on SQLite
it never holds the write lock and never queues behind a writer. Who is asking is found in a
read transaction of its own, ended before the view starts, so a writing request takes the
lock only for its own work.
"""
from flask import Flask, g, request

from blueprints.limits import SAFE_METHODS, limit_signed_in_users
from supervision.db_locking import enter_deferred_transactions, leave_deferred_transactions, reading

_TOKEN = "_deferred_transactions_token"


def read_only_requests_take_no_lock():
    if request.method in SAFE_METHODS:
        setattr(g, _TOKEN, enter_deferred_transactions())


def give_back_the_lock_mode(_error=None):
    token = g.pop(_TOKEN, None)
    if token is not None:
        leave_deferred_transactions(token)


def identify_and_limit_the_caller():
    """The caller's user row is read without the write lock; then their budget is counted."""
    with reading():
        limit_signed_in_users()


def register_transaction_hooks(app: Flask) -> None:
    app.before_request(read_only_requests_take_no_lock)
    app.before_request(identify_and_limit_the_caller)
    app.teardown_request(give_back_the_lock_mode)
