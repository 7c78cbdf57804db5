"""Filing a complaint (SPEC §3): preconditions, reference, access code, clocks, holds."""
import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from supervision.access.access_codes import hash_access_code
from supervision.access.models import NATIONAL, Authority, Role, User
from supervision.access.scoping import require_province_in_scope
from supervision.audit import COMPLAINANT, Actor, record_event
from supervision.clock import local_date
from supervision.complaints import deadlines, rules
from supervision.complaints.holds import place_holds
from supervision.complaints.models import Complaint
from supervision.date_ranges import accepted_dates, require_dates_in_range
from supervision.db_insert import insert_unless_taken
from supervision.errors import Forbidden, ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l, joined
from supervision.notifications.outbox import notify_complainant
from supervision.operators.models import Operator
from supervision.operators.services import current_status

# No 0/O, 1/I/L: the citizen reads the code off a screen or a letter.
ACCESS_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ACCESS_CODE_LENGTH = 10
REFERENCE_ATTEMPTS = 20
# Every date the filer gives, range-checked before the deadlines are computed from them.
DATE_FIELDS = ("received_at", "event_date", "operator_complaint_date")


def new_access_code() -> str:
    return "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH))


def intake_filer(user: User | None) -> User | None:
    """Who files, for the record (SPEC §10): the public, or an officer recording a letter or call.

    Any other signed-in caller (operator staff, oversight, admin) files as the public does:
    their complaint is a citizen's, with no backdating and no officer's channel.
    """
    return user if user is not None and user.role == Role.OFFICER else None


def file_complaint(data: dict, filer: User | None, now: datetime, channel: str) -> tuple[Complaint, str]:
    """Check and store a complaint; returns it with its access code (shown once, stored hashed).

    `filer` is None for the public; an officer may backdate with `received_at` (letters, calls).
    """
    # The code and its hash first: no secret is hashed once the transaction holds the write lock.
    access_code = new_access_code()
    access_code_hash = hash_access_code(access_code)
    dates = accepted_dates(local_date(now), current_app.config)
    require_dates_in_range({field: data.get(field) for field in DATE_FIELDS}, dates)
    received_at = _received_at(data, filer, now)
    received_on = local_date(received_at)
    operator, authority = _operator_and_authority(data.get("operator_id") or 0, data.get("province") or "")
    _check_operator_and_province(operator, authority, data.get("province"), filer, received_on)
    calendar = deadlines.load_calendar()
    # One statement for the three policies, held here for the request: the session keeps only
    # weak references, and compute_due / start_clock below find them in it.
    _held_policies = deadlines.load_policies(deadlines.OPERATOR_PRECONDITION, deadlines.ACCEPTANCE, deadlines.ANSWER)
    answer_due = deadlines.compute_due(deadlines.OPERATOR_PRECONDITION,
                                       data["operator_complaint_date"], calendar).due
    problems = rules.intake_problems(data, received_on, answer_due,
                                     rules.IntakeLimits.from_config(current_app.config), dates)
    if problems:
        raise ValidationFailed(_intake_message(problems), problems)
    values = _complaint_values(data, operator, authority, received_at, channel, access_code_hash, now)
    complaint = _insert_with_unique_reference(values, received_on)
    # Added, not flushed: the clocks, the holds and the submit event go in one flush below,
    # each table as one INSERT (issue 10: intake at the bare-INSERT limit).
    deadlines.start_clock(complaint, deadlines.ACCEPTANCE, received_on, calendar)
    deadlines.start_clock(complaint, deadlines.ANSWER, received_on, calendar)
    place_holds(complaint, now)
    actor = Actor.of(filer) if filer else COMPLAINANT
    record_event("complaint", complaint.reference, "submit", actor, now, first_of_record=True,
                 after={"status": "submitted", "channel": channel, "received_at": received_at.isoformat()})
    # The acknowledgement is queued in the same transaction: a complaint exists with its clocks,
    # event and message, or not at all. It names the reference, never the access code (SPEC §3).
    notify_complainant(complaint, "submit", now)
    return complaint, access_code


def intake_precheck(data: dict, now: datetime) -> dict[str, list[str]]:
    """The precondition and time-limit problems of a partly filled form (fields absent from
    `data` are not judged), so a person sees every problem in one round, not one after another."""
    received_at = data.get("received_at")
    received_on = local_date(received_at if received_at and received_at <= now else now)
    answer_due = None
    if data.get("operator_complaint_date"):
        try:
            answer_due = deadlines.compute_due(deadlines.OPERATOR_PRECONDITION, data["operator_complaint_date"],
                                               deadlines.load_calendar()).due
        except (ValueError, OverflowError, ArithmeticError, RuntimeError):
            answer_due = None  # a date out of range: its own field error says so
    problems = rules.intake_problems(data, received_on, answer_due,
                                     rules.IntakeLimits.from_config(current_app.config))
    present = set(data) | ({"subcategory"} if "category" in data else set())
    return {key: messages for key, messages in problems.items()
            if key in present or key == "disputed_months" and data.get("category") == "billing"}


def same_complaint(complaint: Complaint, data: dict) -> bool:
    """Whether `data` is the complaint already filed, sent again (the back button and a second
    click on "file" reload the form with a new submission token but the same content)."""
    person = data.get("complainant") or {}
    return (complaint.operator_id, complaint.province, complaint.category, complaint.subcategory,
            complaint.description, complaint.request, complaint.event_date, complaint.operator_complaint_date,
            complaint.complainant_phone) == (
        data.get("operator_id"), data.get("province"), data.get("category"), data.get("subcategory"),
        (data.get("description") or "").strip(), (data.get("request") or "").strip(), data.get("event_date"),
        data.get("operator_complaint_date"), rules.normalize_phone(person.get("phone")) or person.get("phone"))


def _received_at(data: dict, filer: User | None, now: datetime) -> datetime:
    received_at = data.get("received_at")
    if received_at is None:
        return now
    if filer is None or filer.role != Role.OFFICER:
        raise Forbidden(_l("Only an officer may record when a letter or call was received (received_at)."))
    if received_at > now:
        raise ValidationFailed.field("received_at", _l("received_at cannot be in the future"))
    return received_at


def _operator_and_authority(operator_id: int, province: str) -> tuple[Operator | None, Authority | None]:
    """The operator and the province's authority in one statement (issue 10: one round trip
    fewer per intake): the operator's row, joined to the authority's row whatever it is."""
    row = db.session.execute(select(Operator, Authority).outerjoin(Authority, Authority.code == province)
                             .where(Operator.id == operator_id)).first()
    if row is None:  # no such operator: a refusal, the province is read for its own message
        return None, db.session.get(Authority, province)
    return row[0], row[1]


def _check_operator_and_province(operator: Operator | None, authority: Authority | None, province: str | None,
                                 filer: User | None, today) -> None:
    errors: dict[str, list[str]] = {}
    if authority is None or authority.code == NATIONAL:
        errors["province"] = [_l("choose the province of the operator's branch concerned [C 9]")]
    if operator is None:
        errors["operator_id"] = [_l("[C 10] name the operator you complain about (see the operator directory)")]
    elif (status := current_status(operator, today)) != "active":
        errors["operator_id"] = [_l("this operator's licence is %(status)s; contact the authority directly",
                                     status=status)]
    elif authority is not None and not operator.operates_in(authority.code):
        errors["province"] = [_l("%(operator)s is licensed only in province %(province)s; file the complaint "
                                  "there [C 9]", operator=operator.name, province=operator.province)]
    if errors:
        raise ValidationFailed(joined([_l("The complaint cannot be filed as it is:"), _first(errors)]), errors)
    if filer is not None and filer.role == Role.OFFICER:
        require_province_in_scope(filer, province)


def _first(errors: dict) -> str:
    return next(iter(errors.values()))[0]


def _intake_message(problems: dict):
    return joined([_l("The complaint cannot be accepted as it is.")] + [m for ms in problems.values() for m in ms])


def _complaint_values(data, operator, authority, received_at, channel, access_code_hash, now) -> dict:
    person = data.get("complainant") or {}
    return dict(
        access_code_hash=access_code_hash, operator_id=operator.id, province=data["province"],
        authority_code=authority.code if authority.accepts_complaints else NATIONAL, category=data["category"],
        subcategory=data["subcategory"], description=data["description"].strip(),
        request=data["request"].strip(), operator_complaint_date=data["operator_complaint_date"],
        operator_answer=data["operator_answer"], event_date=data["event_date"],
        disputed_months=sorted(set(data.get("disputed_months") or [])) if data["category"] == "billing" else [],
        channel=channel, received_at=received_at, complainant_name=person["name"],
        complainant_phone=rules.normalize_phone(person["phone"]) or person["phone"], complainant_email=person.get("email"),
        complainant_address=person.get("address"), complainant_id_number=person.get("id_number"),
        status="submitted", supervised=False, created_at=now, updated_at=now)


def _insert_with_unique_reference(values: dict, received_on) -> Complaint:
    """TS-<province>-<yyyymmdd>-<6 random digits>, retried on the rare collision.

    Random, not sequential, so a reference reveals nothing about volumes; the unique index
    decides under concurrency (ON CONFLICT DO NOTHING: a taken reference returns no row and
    the transaction goes on to the next number).
    """
    prefix = f"TS-{values['province']}-{received_on:%Y%m%d}-"
    for _ in range(REFERENCE_ATTEMPTS):
        reference = prefix + f"{secrets.randbelow(10**6):06d}"
        stmt = insert_unless_taken(Complaint, "reference").values(values | {"reference": reference})
        complaint = db.session.scalar(stmt.returning(Complaint))
        if complaint is not None:
            # A new complaint has no clocks yet: say so, rather than have the first append load them.
            set_committed_value(complaint, "deadlines", [])
            return complaint
    raise RuntimeError("could not allocate a unique complaint reference")
