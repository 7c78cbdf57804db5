"""INSERT … ON CONFLICT DO NOTHING on both databases (SQLite and PostgreSQL share the syntax).

A unique index that decides a race (a random reference, a one-time pass) is usually checked by
a savepoint around the INSERT: three round trips, and on PostgreSQL a failed INSERT aborts the
transaction without one. ON CONFLICT DO NOTHING RETURNING answers in one statement: the row,
or nothing when the value was taken, and the transaction carries on.
"""
from sqlalchemy.dialects import postgresql, sqlite

from supervision.extensions import db


def insert_unless_taken(model, *unique_columns: str):
    """An ORM-enabled INSERT of `model` that skips the row when `unique_columns` already exist."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing(index_elements=list(unique_columns))
