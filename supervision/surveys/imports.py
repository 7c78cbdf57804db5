"""Survey import (SPEC §8, §10): all or nothing, streamed row by row.

A file is read twice from a seekable binary stream, never held in memory: the first pass
checks every row on its own (columns, scores, period, operator, province, jurisdiction); only a
clean file gets the second pass, which inserts in batches inside the caller's transaction and
refuses respondent ids already held for the same operator, service and period (earlier imports
or earlier lines of the same file). Any error → the caller rolls back: nothing is imported.
"""
import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import BinaryIO

import psycopg
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from supervision.access.models import NATIONAL, Authority, Role, User
from supervision.access.scoping import province_in_scope
from supervision.audit import Actor, record_event
from supervision.clock import local_date
from supervision.errors import Forbidden, ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l
from supervision.operators.models import Operator
from supervision.operators.rules import quarter_of
from supervision.surveys import rules
from supervision.surveys.models import ITEMS, SurveyImport, SurveyResponse
from supervision.surveys.services import current_methodology, method_of

# The insert's columns, in the order of the tuples built by _batches.
COLUMNS = ("import_id", "operator_id", "province", "service", "period", "respondent_id", *ITEMS)
# What the unique constraint on (operator, service, period, respondent) raises on each database.
UNIQUE_VIOLATIONS = (IntegrityError, psycopg.errors.UniqueViolation)
MAX_REPORTED_ERRORS = 100
BATCH_ROWS = 5_000
PROGRESS_EVERY_ROWS = 10_000

Progress = Callable[[int], None]
COMMAND_LINE = Actor(None, "command line", "system")


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: object  # a lazy, translatable message


class SurveyImportRefused(ValidationFailed):
    """The file had errors: nothing imported; the first MAX_REPORTED_ERRORS and the count."""

    def __init__(self, row_errors: list[RowError], error_count: int):
        super().__init__(_l("Nothing was imported: the file has %(count)d error(s).", count=error_count))
        self.row_errors = row_errors
        self.error_count = error_count


class _Errors:
    def __init__(self):
        self.first: list[RowError] = []
        self.count = 0

    def add(self, line: int, column: str, message) -> None:
        self.count += 1
        if len(self.first) < MAX_REPORTED_ERRORS:
            self.first.append(RowError(line, column, message))


@dataclass(frozen=True)
class _Context:
    """What row checks need from the database, loaded once (operators and provinces are few)."""

    operators: dict[str, Operator]
    provinces: set[str]
    user: User | None
    method: rules.Method
    current_period: str
    checked_cells: dict[tuple[str, str], list] = field(default_factory=dict)


def import_survey_file(binary: BinaryIO, filename: str, user: User | None, now: datetime,
                       progress: Progress | None = None) -> SurveyImport:
    """Validate then import one CSV file; raises SurveyImportRefused (nothing imported) on any error.

    `user` is the importing officer (rows limited to their jurisdiction), or None for the
    server's command line (`flask surveys import`), whose operator holds every province.
    """
    if user is not None and user.role != Role.OFFICER:
        raise Forbidden(_l("Only officers import survey files."))
    progress = progress or (lambda done: None)
    size = binary.seek(0, io.SEEK_END)
    context = _Context(
        operators={op.licence_no: op for op in db.session.scalars(select(Operator))},
        provinces=set(db.session.scalars(select(Authority.code).where(Authority.code != NATIONAL))),
        user=user, method=method_of(current_methodology()), current_period=quarter_of(local_date(now)))

    errors = _Errors()
    rows = 0
    for rows, (line, row) in enumerate(_rows(binary, errors, lambda pos: progress(pos)), start=1):  # noqa: B007
        for column, message in _row_problems(row, context):
            errors.add(line, column, message)
    if errors.count == 0 and rows == 0:
        errors.add(2, "", _l("the file has a header but no data rows"))
    if errors.count:
        raise SurveyImportRefused(errors.first, errors.count)

    survey_import = SurveyImport(filename=PurePath(filename or "survey.csv").name[:200], sha256=_sha256(binary),
                                 rows=rows, imported_by=user.id if user else None, imported_at=now)
    db.session.add(survey_import)
    db.session.flush()
    try:
        # Fast path: insert everything and let the unique constraint catch a held respondent.
        with db.session.begin_nested():
            for batch in _batches(binary, context, survey_import.id, errors, lambda pos: progress(size + pos)):
                _bulk_insert([values for _, values in batch])
    except UNIQUE_VIOLATIONS:
        # Slow path, only for a refused file: find the held respondents line by line.
        for batch in _batches(binary, context, survey_import.id, errors, lambda pos: None):
            _bulk_insert(_new_respondents(batch, survey_import.id, errors))
        raise SurveyImportRefused(errors.first, errors.count) from None
    actor = Actor.of(user) if user else COMMAND_LINE
    record_event("survey_import", survey_import.id, "imported", actor, now,
                 after={"filename": survey_import.filename, "rows": rows, "sha256": survey_import.sha256})
    return survey_import


def _rows(binary: BinaryIO, errors: _Errors, progress: Progress) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each data row after checking the header; stops at unreadable text."""
    binary.seek(0)
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader, None)
        if header is None or tuple(cell.strip() for cell in header) != rules.HEADER:
            errors.add(1, "", _l("the first line must be exactly: %(header)s", header=",".join(rules.HEADER)))
            return
        for count, row in enumerate(reader, start=1):
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line (often the last one) is not a row
            yield reader.line_num, row
            if count % PROGRESS_EVERY_ROWS == 0:
                progress(binary.tell())
    except UnicodeDecodeError:
        errors.add(reader.line_num + 1, "", _l("the file is not UTF-8 text: save it as CSV UTF-8"))
    except csv.Error as exc:
        errors.add(reader.line_num, "", _l("the line is not valid CSV: %(reason)s", reason=str(exc)))
    finally:
        progress(binary.tell())
        text.detach()  # leave the caller's stream open for the next pass


def _row_problems(row: list[str], context: _Context) -> list[tuple[str, object]]:
    problems = rules.row_problems(row, context.method, context.current_period)
    if problems and problems[0][0] == "":
        return problems  # wrong number of columns: the cells cannot be named
    key = (row[0].strip(), row[1].strip())
    if key not in context.checked_cells:  # a file holds few operator × province pairs: check each once
        context.checked_cells[key] = _operator_province_problems(*key, context)
    return problems + context.checked_cells[key]


def _operator_province_problems(licence_no: str, province: str, context: _Context) -> list[tuple[str, object]]:
    problems = []
    operator = context.operators.get(licence_no)
    if licence_no and operator is None:
        problems.append(("operator_licence_no", _l("no operator has licence number %(licence)s", licence=licence_no)))
    if province not in context.provinces:
        problems.append(("province", _l("province must be a GB/T 2260 two-digit code, e.g. 32")))
    elif context.user is not None and not province_in_scope(context.user, province):
        problems.append(("province", _l("province %(province)s is outside your jurisdiction", province=province)))
    elif operator is not None and not operator.operates_in(province):
        problems.append(("province", _l("operator %(licence)s does not operate in province %(province)s",
                                        licence=licence_no, province=province)))
    return problems


def _batches(binary: BinaryIO, context: _Context, import_id: int, errors: _Errors,
             progress: Progress) -> Iterator[list[tuple[int, tuple]]]:
    """The file's rows as column tuples (see COLUMNS), BATCH_ROWS at a time, with line numbers."""
    operator_ids = {licence_no: operator.id for licence_no, operator in context.operators.items()}
    batch = []
    for line, row in _rows(binary, errors, progress):
        cells = [cell.strip() for cell in row]
        batch.append((line, (import_id, operator_ids[cells[0]], *cells[1:5], *map(int, cells[5:]))))
        if len(batch) == BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def _bulk_insert(rows: list[tuple]) -> None:
    """Insert column tuples as fast as the database allows: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    connection = db.session.connection()
    columns = ", ".join(COLUMNS)
    if connection.dialect.name == "postgresql":
        with connection.connection.cursor() as cursor, \
                cursor.copy(f"COPY survey_responses ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(COLUMNS))
        connection.exec_driver_sql(f"INSERT INTO survey_responses ({columns}) VALUES ({marks})", rows)


def _new_respondents(batch: list[tuple[int, tuple]], import_id: int, errors: _Errors) -> list[tuple]:
    """The rows whose respondent is not held yet; an error for each one that is.

    A respondent is held by an earlier import, or by this import (an earlier line of the file:
    the rows of earlier batches are inserted, earlier lines of this batch are remembered). One
    indexed query per operator × service × period of the batch.
    """
    wanted: dict[tuple, list[str]] = {}
    for _, (_, operator_id, _, service, period, respondent_id, *_) in batch:
        wanted.setdefault((operator_id, service, period), []).append(respondent_id)
    held: dict[tuple, int] = {}
    for (operator_id, service, period), ids in wanted.items():
        found = db.session.execute(
            select(SurveyResponse.respondent_id, SurveyResponse.import_id).where(
                SurveyResponse.operator_id == operator_id, SurveyResponse.service == service,
                SurveyResponse.period == period, SurveyResponse.respondent_id.in_(ids)))
        held |= {(operator_id, service, period, rid): holder for rid, holder in found}
    fresh = []
    for line, values in batch:
        _, operator_id, _, service, period, respondent_id, *_ = values
        key = (operator_id, service, period, respondent_id)
        holder = held.get(key)
        if holder is None:
            held[key] = import_id
            fresh.append(values)
        elif holder == import_id:
            errors.add(line, "respondent_id", _l(
                "respondent id %(id)s appears earlier in this file for the same operator, service and period",
                id=respondent_id))
        else:
            errors.add(line, "respondent_id", _l(
                "respondent id %(id)s is already held for this operator, service and period %(period)s "
                "(imported earlier): a respondent is imported once", id=respondent_id, period=period))
    return fresh


def _sha256(binary: BinaryIO) -> str:
    binary.seek(0)
    digest = hashlib.sha256()
    while chunk := binary.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()
