"""Queue search index (pg_trgm GIN / FTS5 trigram) and the partial index of clocks awaiting their stop

The queue also reads complaints by their nearest clock awaiting its stop event, from the partial
index ix_deadlines_awaiting_stop (both databases).

The queue's search is a case-insensitive substring of the reference, the facts, the request, the
complainant's name and the phone's digits (supervision/complaints/search.py). A substring
('%term%') cannot use a B-tree, so each database gets an index made for it: trigram GIN indexes
that PostgreSQL uses for ILIKE directly, and on SQLite an FTS5 table with the trigram tokenizer
(SQLite ≥ 3.34), kept in step with `complaints` by triggers. The search index is not on the models:
both are dialect-specific access paths (tests/test_migrations.py leaves them out of the
comparison and checks that they exist).

Revision ID: 0011_search_index
Revises: 0007_operator_obligations
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_search_index"
down_revision = "0007_operator_obligations"
branch_labels = None
depends_on = None

# The phone as searched: typed with spaces or hyphens or without, the digits match.
PHONE_DIGITS = "replace(replace({}complainant_phone, '-', ''), ' ', '')"
PG_COLUMNS = {"reference": "reference", "description": "description", "request": "request",
              "name": "complainant_name", "phone": f"({PHONE_DIGITS.format('')})"}
FTS_COLUMNS = "reference, description, request, complainant_name, phone_digits"


def upgrade():
    # The queue's order (complaints/queue.py, nearest_due_page): clocks awaiting their stop event.
    op.create_index("ix_deadlines_awaiting_stop", "deadlines", ["subject_type", "due", "subject_id"],
                    sqlite_where=sa.text("stopped_at IS NULL"), postgresql_where=sa.text("stopped_at IS NULL"))
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgresql()
    else:
        _upgrade_sqlite()


def downgrade():
    op.drop_index("ix_deadlines_awaiting_stop", table_name="deadlines")
    if op.get_bind().dialect.name == "postgresql":
        for name in PG_COLUMNS:
            op.execute(f"DROP INDEX IF EXISTS ix_complaints_search_{name}")
        return  # the extension stays: other schemas of the database may use it
    for trigger in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS complaints_search_{trigger}")
    op.execute("DROP TABLE IF EXISTS complaints_search")


def _upgrade_postgresql():
    # The extension belongs to the whole database: create it once, in public (a schema the tests
    # drop would take it along), serialised so that two schemas migrated at once do not race.
    op.execute("SELECT pg_advisory_xact_lock(hashtext('supervision: create extension pg_trgm'))")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    schema = op.get_bind().exec_driver_sql(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'").scalar_one()
    # A GIN index queues new entries in a pending list that every search reads in full until
    # (auto)vacuum merges it: the default 4 MB made a search of 100,000 complaints take 17 ms
    # instead of 1 ms. 64 kB (the least) keeps that read small; inserts merge more often.
    for name, column in PG_COLUMNS.items():
        op.execute(f"CREATE INDEX ix_complaints_search_{name} ON complaints "
                   f"USING gin ({column} {schema}.gin_trgm_ops) WITH (gin_pending_list_limit = 64)")


def _upgrade_sqlite():
    # Contentless (content=''): the text stays in `complaints` only; the triggers hand FTS5 the
    # old values to delete, as its external-content pattern does.
    op.execute(f"CREATE VIRTUAL TABLE complaints_search USING fts5({FTS_COLUMNS}, content='', "
               "tokenize='trigram')")
    new, old = _values("NEW."), _values("OLD.")
    op.execute(f"CREATE TRIGGER complaints_search_ai AFTER INSERT ON complaints BEGIN "
               f"INSERT INTO complaints_search(rowid, {FTS_COLUMNS}) VALUES ({new}); END")
    op.execute(f"CREATE TRIGGER complaints_search_ad AFTER DELETE ON complaints BEGIN "
               f"INSERT INTO complaints_search(complaints_search, rowid, {FTS_COLUMNS}) "
               f"VALUES ('delete', {old}); END")
    # Only the searched columns: a status change leaves the index alone.
    op.execute(f"CREATE TRIGGER complaints_search_au AFTER UPDATE OF reference, description, request, "
               f"complainant_name, complainant_phone ON complaints BEGIN "
               f"INSERT INTO complaints_search(complaints_search, rowid, {FTS_COLUMNS}) "
               f"VALUES ('delete', {old}); "
               f"INSERT INTO complaints_search(rowid, {FTS_COLUMNS}) VALUES ({new}); END")
    op.execute(f"INSERT INTO complaints_search(rowid, {FTS_COLUMNS}) SELECT {_values('')} FROM complaints")


def _values(prefix: str) -> str:
    return (f"{prefix}id, {prefix}reference, {prefix}description, {prefix}request, "
            f"{prefix}complainant_name, {PHONE_DIGITS.format(prefix)}")
