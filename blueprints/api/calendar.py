"""Working-day calendar API (SPEC §10) and the admin's overrides."""
from datetime import date

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from blueprints.api.common import BEARER, ErrorSchema, commit, require_user
from supervision.clock import now_utc
from supervision.complaints import calendar_admin
from supervision.complaints.deadlines import load_calendar
from supervision.complaints.models import CalendarOverride
from supervision.extensions import db

blp = Blueprint("api_calendar", __name__, description="China's official working-day calendar")

# Dates the working-day calculator answers for: near year 1 or 9999 date arithmetic overflows.
# Wider than the range of dates people record (supervision/date_ranges.py): the calculator is a
# public tool for any year, with the Mon–Fri fallback marked provisional.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2999, 12, 31)
DAY_RANGE = validate.Range(min=EARLIEST_DAY, max=LATEST_DAY,
                           error=f"must be between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}")


class WorkingDaysQuery(Schema):
    start = fields.Date(required=True, validate=DAY_RANGE,
                        metadata={"description": "YYYY-MM-DD; this day is not counted"})
    days = fields.Integer(required=True, validate=validate.Range(min=0, max=365))


class WorkingDaysOut(Schema):
    start = fields.Date()
    days = fields.Integer()
    due = fields.Date()
    provisional = fields.Boolean()


class OverrideIn(Schema):
    is_working_day = fields.Boolean(required=True)
    note = fields.String(required=True, validate=validate.Length(min=3, max=300),
                         metadata={"description": "the source, e.g. the State Council notice"})


class OverrideOut(OverrideIn):
    day = fields.Date()
    recomputed_deadlines = fields.Integer(dump_only=True)


@blp.route("/calendar/working-days")
class WorkingDays(MethodView):
    @blp.arguments(WorkingDaysQuery, location="query")
    @blp.response(200, WorkingDaysOut)
    @blp.alt_response(422, schema=ErrorSchema, description="Bad date or number of days")
    @blp.doc(operationId="add_working_days")
    def get(self, args):
        """The date `days` working days after `start` (make-up workdays count; start not counted)."""
        due = load_calendar().add_working_days(args["start"], args["days"])
        return {"start": args["start"], "days": args["days"], "due": due.due, "provisional": due.provisional}


@blp.route("/calendar/overrides")
class Overrides(MethodView):
    @blp.response(200, OverrideOut(many=True))
    @blp.doc(operationId="list_calendar_overrides")
    def get(self):
        """Every override of the official calendar, with its source."""
        return db.session.scalars(select(CalendarOverride).order_by(CalendarOverride.day)).all()


@blp.route("/calendar/overrides/<isodate:day>")
class OverrideItem(MethodView):
    @blp.arguments(OverrideIn, example={"is_working_day": False, "note": "State Council notice 国办发明电〔2026〕7号"})
    @blp.response(200, OverrideOut)
    @blp.doc(operationId="set_calendar_override", security=BEARER)
    def put(self, values, day: date):
        """Set a day as a holiday or a (make-up) workday (admin); open deadlines are recomputed."""
        user = require_user()
        # The day's range is the service's (supervision/date_ranges.py): the web form shares it.
        row, changed = calendar_admin.set_override(day, values["is_working_day"], values["note"], user, now_utc())
        commit()
        return {"day": row.day, "is_working_day": row.is_working_day, "note": row.note,
                "recomputed_deadlines": changed}

    @blp.response(204)
    @blp.doc(operationId="delete_calendar_override", security=BEARER)
    def delete(self, day: date):
        """Remove an override (admin); open deadlines are recomputed."""
        calendar_admin.remove_override(day, require_user(), now_utc())
        commit()
