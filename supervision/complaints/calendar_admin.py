"""The admin's corrections of the official calendar; each change recomputes open deadlines."""
from datetime import date, datetime

from flask import current_app

from supervision.access.models import Role, User
from supervision.audit import Actor, record_event
from supervision.clock import local_date
from supervision.complaints.deadlines import recompute_after_override
from supervision.complaints.models import CalendarOverride
from supervision.date_ranges import accepted_dates, require_dates_in_range
from supervision.errors import Forbidden, NotFound
from supervision.extensions import db
from supervision.i18n import _l


def _require_admin(user: User) -> None:
    if user.role != Role.ADMIN:
        raise Forbidden(_l("Only an administrator may change the working-day calendar."))


def set_override(day: date, is_working_day: bool, note: str, user: User, now: datetime
                 ) -> tuple[CalendarOverride, int]:
    _require_admin(user)
    # Recomputing deadlines around an absurd day would overflow the calendar arithmetic.
    require_dates_in_range({"day": day}, accepted_dates(local_date(now), current_app.config))
    row = db.session.get(CalendarOverride, day)
    before = None if row is None else {"is_working_day": row.is_working_day, "note": row.note}
    if row is None:
        row = CalendarOverride(day=day, created_at=now)
        db.session.add(row)
    row.is_working_day, row.note, row.created_by = is_working_day, note, user.id
    db.session.flush()
    record_event("calendar", day.isoformat(), "override_set", Actor.of(user), now, before=before,
                 after={"is_working_day": is_working_day, "note": note})
    return row, recompute_after_override(day, Actor.of(user), now)


def remove_override(day: date, user: User, now: datetime) -> int:
    _require_admin(user)
    row = db.session.get(CalendarOverride, day)
    if row is None:
        raise NotFound(_l("no override for %(day)s", day=day.isoformat()))
    record_event("calendar", day.isoformat(), "override_removed", Actor.of(user), now,
                 before={"is_working_day": row.is_working_day, "note": row.note})
    db.session.delete(row)
    db.session.flush()
    return recompute_after_override(day, Actor.of(user), now)
