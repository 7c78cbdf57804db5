"""Many retention attestations in one CSV file (one line per billing system × province).

Header: system,province,earliest_day,latest_day,as_of (UTF-8, optional BOM). All or nothing:
every problem is reported as "line N: column" and nothing is filed unless every line is good.
"""
import csv
import io
from datetime import date, datetime

from supervision.audit import Actor
from supervision.clock import local_date
from supervision.errors import ValidationFailed
from supervision.i18n import _l
from supervision.obligations.retention import file_many, line_errors
from supervision.operators.models import Operator

COLUMNS = ("system", "province", "earliest_day", "latest_day", "as_of")
DATE_COLUMNS = ("earliest_day", "latest_day", "as_of")
MAX_BYTES = 512 * 1024
MAX_LINES = 2000


def parse_attestations(content: bytes) -> tuple[list[tuple[int, dict]], dict[str, list]]:
    """(line number, values) per data line, and the errors found while reading."""
    if len(content) > MAX_BYTES:
        return [], {"file": [_l("the file is larger than %(kb)s KB", kb=MAX_BYTES // 1024)]}
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], {"file": [_l("the file is not UTF-8 text")]}
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    if missing := [c for c in COLUMNS if c not in header]:
        return [], {"file": [_l("the header must name the columns %(columns)s; missing: %(missing)s",
                                columns=",".join(COLUMNS), missing=", ".join(missing))]}
    rows, errors = [], {}
    for row in reader:
        line = reader.line_num
        if line > MAX_LINES + 1:
            errors["file"] = [_l("at most %(n)s lines per file", n=MAX_LINES)]
            break
        values = {name.strip(): (value or "").strip() for name, value in row.items() if name}
        if not any(values.values()):
            continue
        for column in DATE_COLUMNS:
            try:
                values[column] = date.fromisoformat(values[column])
            except (ValueError, TypeError):
                errors[f"line {line}: {column}"] = [_l("a date YYYY-MM-DD is required")]
                values[column] = None
        rows.append((line, values))
    if not rows and not errors:
        errors["file"] = [_l("the file has no data lines")]
    return rows, errors


def file_from_csv(operator: Operator, content: bytes, actor: Actor, now: datetime) -> list:
    rows, errors = parse_attestations(content)
    if "file" not in errors:
        # Every line's problems at once; a date already unreadable is reported once.
        for key, messages in line_errors(operator, rows, local_date(now)).items():
            errors.setdefault(key, messages)
    if errors:
        raise ValidationFailed(_l("Nothing was filed: correct the lines below and upload the file again."), errors)
    return file_many(operator, rows, actor, now)
