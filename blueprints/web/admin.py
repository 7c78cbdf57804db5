"""Administration: the working-day calendar's overrides (each change recomputes open deadlines)."""
import calendar as month_calendar
import re
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from blueprints.web import officer_forms as forms
from blueprints.web.officer import form_status, paginate, require_role, run_service
from supervision.access.models import Role
from supervision.calendar import holiday_name
from supervision.clock import now_utc, today_local
from supervision.complaints import calendar_admin, deadlines
from supervision.complaints.models import CalendarOverride
from supervision.date_ranges import current_range

bp = Blueprint("admin", __name__, url_prefix="/admin")
MONTH_PATTERN = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")


@bp.before_request
def require_admin():
    return require_role(Role.ADMIN)


def _recomputed_message(count: int) -> str:
    return ngettext("%(num)d open deadline was recomputed.", "%(num)d open deadlines were recomputed.", count)


@bp.route("/calendar", methods=["GET", "POST"])
def calendar():
    form = forms.OverrideForm()
    if form.validate_on_submit():
        outcome, result = run_service(form, calendar_admin.set_override, form.day.data,
                                      form.is_working_day.data == "yes", form.note.data.strip(), current_user,
                                      now_utc())
        if outcome == "ok":
            recomputed = result[1]
            flash(_("Override for %(day)s saved.", day=form.day.data.isoformat()) + " "
                  + _recomputed_message(recomputed), "success")
            return redirect(url_for(".calendar", month=form.day.data.strftime("%Y-%m"), _anchor="messages"))
    return _render(form, form_status())


@bp.post("/calendar/<day>/delete")
def calendar_delete(day: str):
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        abort(404)
    form = forms.DeleteForm()
    if not form.validate_on_submit():
        abort(400)
    outcome, recomputed = run_service(form, calendar_admin.remove_override, parsed, current_user, now_utc())
    if outcome == "ok":
        flash(_("Override for %(day)s removed.", day=parsed.isoformat()) + " " + _recomputed_message(recomputed),
              "success")
    return redirect(url_for(".calendar", month=parsed.strftime("%Y-%m"), _anchor="messages"))


def _month_asked() -> tuple[int, int, bool]:
    """The month of `?month=YYYY-MM` (this month when absent); the flag says the value was bad.

    Bounded by the shared date range: month 9999-12 (whose "next month" does not exist) or 1-1
    (whose previous one does not) falls back to this month instead of a 500.
    """
    today = today_local()
    raw = request.args.get("month", "")
    match = MONTH_PATTERN.fullmatch(raw)
    if match and current_range().month_problem(int(match[1]), int(match[2])) is None:
        return int(match[1]), int(match[2]), False
    return today.year, today.month, bool(raw)


def _month_link(first_day: date) -> str | None:
    """The `?month=` of a neighbouring month, or None at the edge of the range (no link)."""
    return None if current_range().month_problem(first_day.year, first_day.month) else first_day.strftime("%Y-%m")


def _month_grid(year: int, month: int) -> tuple[list[list], bool]:
    """Weeks (Monday first) of day infos (days of the neighbouring months are None), and
    whether the official calendar does not cover the year yet (the grid is a guess)."""
    working = deadlines.load_calendar()
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[working.day(d) if d.month == month else None for d in week] for week in weeks], not working.covers(year)


def _render(form, status: int = 200):
    year, month, bad_month = _month_asked()
    first = date(year, month, 1)
    # Inside the range (2000 … today + 20 years) both neighbours are real dates.
    previous = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    overrides = paginate(select(CalendarOverride).order_by(CalendarOverride.day.desc()))
    weeks, provisional = _month_grid(year, month)
    return render_template("admin/calendar.html", holiday_name=holiday_name, form=form,
                           delete_form=forms.DeleteForm(formdata=None), overrides=overrides, weeks=weeks,
                           provisional=provisional, first=first, previous=_month_link(previous),
                           following=_month_link(following), bad_month=bad_month,
                           month_range=_month_range()), status


def _month_range() -> tuple[str, str]:
    dates = current_range()
    return dates.earliest.strftime("%Y-%m"), dates.latest.strftime("%Y-%m")
