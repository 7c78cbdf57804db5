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
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import BinaryIO

from sqlalchemy import select

from supervision.access.models import NATIONAL, Authority, Role, User
from supervision.access.scoping import officer_in_charge
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
    batch: list[tuple[int, dict]] = []
    for line, row in _rows(binary, errors, lambda pos: progress(size + pos)):
        batch.append((line, _response_values(row, context, survey_import.id)))
        if len(batch) == BATCH_ROWS:
            _insert_batch(batch, survey_import.id, errors)
            batch = []
    _insert_batch(batch, survey_import.id, errors)
    if errors.count:
        raise SurveyImportRefused(errors.first, errors.count)
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
            if not any(cell.strip() for cell in row):
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
    licence_no, province = row[0].strip(), row[1].strip()
    operator = context.operators.get(licence_no)
    if licence_no and operator is None:
        problems.append(("operator_licence_no", _l("no operator has licence number %(licence)s", licence=licence_no)))
    if province not in context.provinces:
        problems.append(("province", _l("province must be a GB/T 2260 two-digit code, e.g. 32")))
    elif context.user is not None and not officer_in_charge(context.user, province):
        problems.append(("province", _l("province %(province)s is outside your jurisdiction", province=province)))
    elif operator is not None and not operator.operates_in(province):
        problems.append(("province", _l("operator %(licence)s does not operate in province %(province)s",
                                        licence=licence_no, province=province)))
    return problems


def _response_values(row: list[str], context: _Context, import_id: int) -> dict:
    cells = [cell.strip() for cell in row]
    values = {"import_id": import_id, "operator_id": context.operators[cells[0]].id, "province": cells[1],
              "service": cells[2], "period": cells[3], "respondent_id": cells[4]}
    return values | {item: int(cells[5 + i]) for i, item in enumerate(ITEMS)}


def _insert_batch(batch: list[tuple[int, dict]], import_id: int, errors: _Errors) -> None:
    """Insert the rows whose respondent is new for its operator, service and period."""
    fresh = []
    for line, values, held_by_import in _with_held_respondents(batch):
        if held_by_import is None:
            fresh.append(values)
        elif held_by_import == import_id:
            errors.add(line, "respondent_id", _l(
                "respondent id %(id)s appears earlier in this file for the same operator, service and period",
                id=values["respondent_id"]))
        else:
            errors.add(line, "respondent_id", _l(
                "respondent id %(id)s is already held for this operator, service and period %(period)s "
                "(imported earlier): a respondent is imported once", id=values["respondent_id"],
                period=values["period"]))
    if fresh:  # after an error too: later lines are still checked against these
        db.session.execute(SurveyResponse.__table__.insert(), fresh)


def _with_held_respondents(batch: list[tuple[int, dict]]) -> Iterator[tuple[int, dict, int | None]]:
    """Each row with the import already holding its respondent (earlier import, earlier batch or
    earlier in this batch), or None. One indexed query per operator × service × period in the batch."""
    groups: dict[tuple, list[str]] = {}
    for _, values in batch:
        groups.setdefault((values["operator_id"], values["service"], values["period"]), []).append(
            values["respondent_id"])
    held: dict[tuple, int] = {}
    for (operator_id, service, period), ids in groups.items():
        found = db.session.execute(
            select(SurveyResponse.respondent_id, SurveyResponse.import_id).where(
                SurveyResponse.operator_id == operator_id, SurveyResponse.service == service,
                SurveyResponse.period == period, SurveyResponse.respondent_id.in_(ids)))
        held |= {(operator_id, service, period, rid): import_id for rid, import_id in found}
    this_import = batch[0][1]["import_id"] if batch else None
    for line, values in batch:
        key = (values["operator_id"], values["service"], values["period"], values["respondent_id"])
        yield line, values, held.get(key)
        held.setdefault(key, this_import)


def _sha256(binary: BinaryIO) -> str:
    binary.seek(0)
    digest = hashlib.sha256()
    while chunk := binary.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()
