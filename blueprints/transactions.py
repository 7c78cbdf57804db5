"""Which requests may take the database's write lock (supervision/db_locking.py).

A request that only reads (GET, HEAD, OPTIONS) runs its transactions deferred, so on SQLite
it never holds the write lock and never queues behind a writer. Who is asking is found in a
read transaction of its own, ended before the view starts, so a writing request takes the
lock only for its own work.
"""
from flask import Flask, g, request

from blueprints.limits import SAFE_METHODS, limit_signed_in_users
from supervision.access.personal_data import pending_reads, write_pending_reads
from supervision.db_locking import enter_deferred_transactions, leave_deferred_transactions, reading, writing
from supervision.extensions import db

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


def write_personal_data_reads(response):
    """The reads of personal data this request noted (supervision/access/personal_data.py),
    written in a transaction of their own once the request's has ended.

    The view committed its work already (one commit per request) or meant to discard it, so
    ending its transaction changes nothing but frees SQLite's lock and the GET's old snapshot;
    the log then takes the write lock up front even in a GET. If the log cannot be written the
    error propagates and the client gets a 500 instead of the data: no unrecorded read.
    """
    if not pending_reads():
        return response
    db.session.rollback()
    with writing():
        write_pending_reads("api" if request.blueprint and request.blueprint.startswith("api") else "web")
        db.session.commit()
    return response


def register_transaction_hooks(app: Flask) -> None:
    app.before_request(read_only_requests_take_no_lock)
    app.before_request(identify_and_limit_the_caller)
    app.after_request(write_personal_data_reads)
    app.teardown_request(give_back_the_lock_mode)
