"""The officer's CSV export of the queue: the same scope and filters, every row, streamed.

A million complaints do not fit in a response built in memory: the rows come from the
database in batches (`yield_per`: a server-side cursor on PostgreSQL) and leave as CSV text
batch by batch, so memory stays flat whatever the count. Access codes are never exported;
the complainant's personal data only for those who may read it unmasked (officers, SPEC §9).
"""
import csv
import io
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select

from supervision.access.models import User
from supervision.access.personal_data import record_export_reads
from supervision.complaints.models import Complaint
from supervision.complaints.queue import QueueFilters, queue_query
from supervision.complaints.views import OFFICER_VIEW, audience_of
from supervision.db_locking import deferred_transactions
from supervision.extensions import db
from supervision.operators.models import Operator

BATCH = 2000
RECORD_COLUMNS = ("reference", "received_at", "province", "authority_code", "operator_id", "category",
                  "subcategory", "channel", "status", "outcome", "escalation", "supervised", "closed_at",
                  "description", "request")
PERSONAL_COLUMNS = ("complainant_name", "complainant_phone", "complainant_email", "complainant_address",
                    "complainant_id_number")
# A spreadsheet runs a cell that starts with one of these as a formula: the public writes the
# facts, so such a cell is prefixed with an apostrophe (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_columns(user: User) -> tuple[str, ...]:
    personal = PERSONAL_COLUMNS if audience_of(user) == OFFICER_VIEW else ()
    return RECORD_COLUMNS + personal


def csv_lines(user: User, filters: QueueFilters, now: datetime, channel: str = "web") -> Iterator[str]:
    """The header, then the rows in batches of CSV text, oldest complaint first. The query is
    built now (the caller's scope), the rows are read as the response is sent.

    The personal-data reads of every exported complaint are recorded now, in the caller's
    transaction (个人信息保护法: who saw what); the caller commits before streaming."""
    columns = export_columns(user)
    selected = queue_query(user, filters)
    personal = [c.removeprefix("complainant_") for c in columns if c in PERSONAL_COLUMNS]
    record_export_reads(user, selected, personal, now, channel)
    stmt = (selected.with_only_columns(*(getattr(Complaint, c) for c in columns))
            .order_by(Complaint.id).execution_options(yield_per=BATCH))
    operators = {operator_id: name for operator_id, name in db.session.execute(select(Operator.id, Operator.name))}
    header = [("operator" if c == "operator_id" else c) for c in columns]
    return _stream(stmt, header, columns.index("operator_id"), operators)


def _stream(stmt, header: list[str], operator_at: int, operators: dict[int, str]) -> Iterator[str]:
    # A read: on SQLite it must not hold the write lock for the whole download.
    with deferred_transactions():
        yield "\ufeff" + _csv([header])  # the byte-order mark makes spreadsheets read UTF-8
        for rows in db.session.execute(stmt).partitions():
            yield _csv([_cells(row, operator_at, operators) for row in rows])


def _cells(row, operator_at: int, operators: dict[int, str]) -> list:
    cells = [_cell(value) for value in row]
    cells[operator_at] = _cell(operators.get(row[operator_at], row[operator_at]))
    return cells


def _cell(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()
