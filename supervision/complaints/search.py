"""The queue's search: a case-insensitive substring of the reference, the facts and the request,
and for officers the complainant's name or phone (operator staff see names masked, so they
cannot search by them either).

The condition below *is* the meaning of a search. On top of it comes an access path through
an index made for substrings (migration 0011_search_index): PostgreSQL uses its trigram GIN
indexes for these ILIKEs by itself; SQLite is pointed at its FTS5 trigram table, whose rows
are only candidates, rechecked by the same condition, so both databases answer exactly what a
scan of the table would. The term is a bound parameter and is never logged.
"""
import re

from sqlalchemy import ColumnElement, and_, func, literal_column, or_, select, text

from supervision.access.models import Role, User
from supervision.complaints.models import Complaint
from supervision.complaints.rules import normalize_reference
from supervision.extensions import db

# A trigram index finds substrings of three characters or more; a shorter term is a scan.
MIN_INDEXED_LENGTH = 3
# A phone typed with spaces or hyphens still matches: digits only, from four on.
MIN_PHONE_DIGITS = 4
FTS_TABLE = "complaints_search"
# The expression the migration indexes, written with literals (a bound parameter would keep
# PostgreSQL from matching it to the expression index).
EMPTY = literal_column("''")
PHONE_DIGITS = func.replace(func.replace(Complaint.complainant_phone, literal_column("'-'"), EMPTY),
                            literal_column("' '"), EMPTY)


def declared_by_migration_only(name: str | None, type_: str, _parents=None) -> bool:
    """False for the search index's objects (FTS5 table and its shadow tables, trigram indexes):
    dialect-specific, made by migration 0011 and absent from the models on purpose. An Alembic
    `include_name` hook, so autogenerate and the models-vs-migrations test leave them alone."""
    return not (name or "").startswith((FTS_TABLE, "ix_complaints_search_"))


def search_condition(term: str, user: User) -> ColumnElement[bool]:
    """Complaints `term` finds for `user` (scoping is applied by the caller, as for any filter)."""
    searches_personal_data = user.role == Role.OFFICER
    digits = phone_digits(term) if searches_personal_data else None
    condition = substring_condition(term, digits, searches_personal_data)
    if _dialect() == "sqlite" and len(term) >= MIN_INDEXED_LENGTH:
        candidates = _fts_candidates(term, digits, searches_personal_data)
        condition = and_(or_(Complaint.id.in_(candidates), Complaint.reference == normalize_reference(term)),
                         condition)
    return condition


def phone_digits(term: str) -> str | None:
    digits = re.sub(r"\D", "", term)
    return digits if len(digits) >= MIN_PHONE_DIGITS else None


def substring_condition(term: str, digits: str | None, with_name: bool) -> ColumnElement[bool]:
    """The meaning: `%` and `_` typed by a person are characters to find, not wildcards."""
    like = f"%{escape_like(term)}%"
    conditions = [Complaint.reference.ilike(like, escape="\\"), Complaint.reference == normalize_reference(term),
                  Complaint.description.ilike(like, escape="\\"), Complaint.request.ilike(like, escape="\\")]
    if with_name:
        conditions.append(Complaint.complainant_name.ilike(like, escape="\\"))
    if digits:
        conditions.append(PHONE_DIGITS.like(f"%{digits}%"))
    return or_(*conditions)


def escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fts_phrase(term: str) -> str:
    """One FTS5 string: a trigram phrase matches wherever the term is a substring (any case)."""
    return '"' + term.replace('"', '""') + '"'


def _fts_candidates(term: str, digits: str | None, with_name: bool):
    columns = "reference description request" + (" complainant_name" if with_name else "")
    match = f"{{{columns}}} : {fts_phrase(term)}"
    if digits:
        match += f" OR phone_digits : {fts_phrase(digits)}"
    return select(literal_column("rowid")).select_from(text(FTS_TABLE)).where(
        literal_column(FTS_TABLE).op("MATCH")(match))


def _dialect() -> str:
    return db.session.get_bind().dialect.name
