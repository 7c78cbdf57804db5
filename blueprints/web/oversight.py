"""Oversight pages (SPEC §1, §9): the log of staff reads of complainants' personal data,
filtered by the staff member, the complaint and the days, and its CSV export."""
import csv
import io

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from blueprints.date_validators import FormDateInRange
from blueprints.web.forms import as_choices
from blueprints.web.officer import paginate, require_role
from supervision.access.models import Role
from supervision.access.personal_data import (
    CSV_HEADER,
    PersonalDataRead,
    ReadFilters,
    csv_rows,
    readers,
    reads_query,
)
from supervision.clock import today_local
from supervision.errors import ValidationFailed

bp = Blueprint("oversight", __name__, url_prefix="/oversight")


class ReadFilterForm(FlaskForm):
    class Meta:
        csrf = False

    user_id = SelectField(_l("Staff member"), choices=[], validators=[Optional()])
    reference = StringField(_l("Complaint reference"), validators=[Optional(), Length(max=40)])
    date_from = DateField(_l("From (day)"), validators=[Optional(), FormDateInRange()])
    date_to = DateField(_l("To (day, included)"), validators=[Optional(), FormDateInRange()])


@bp.before_request
def require_oversight():
    return require_role(Role.OVERSIGHT)


def _form_and_filters() -> tuple[ReadFilterForm, ReadFilters | None]:
    """The filter form from the query string; no filters when a value is refused (shown on the form)."""
    form = ReadFilterForm(request.args)
    form.user_id.choices = as_choices(((str(u.id), u.label if u.label == u.username else f"{u.label} ({u.username})")
                                       for u in readers(current_user)), _l("Anyone"))
    if not form.validate():
        return form, None
    filters = ReadFilters(user_id=int(form.user_id.data) if form.user_id.data else None,
                          reference=(form.reference.data or "").strip() or None,
                          date_from=form.date_from.data, date_to=form.date_to.data)
    return form, filters


@bp.get("/personal-data-reads")
def personal_data_reads():
    form, filters = _form_and_filters()
    page, status = None, 200
    if filters is not None:
        try:
            page = paginate(reads_query(current_user, filters).order_by(PersonalDataRead.id.desc()))
        except ValidationFailed as error:
            for field, messages in error.errors.items():
                form[field].errors = list(messages)
    if page is None:
        status = 422
    export_args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("oversight/personal_data_reads.html", form=form, page=page, export_args=export_args,
                           today=today_local()), status


@bp.get("/personal-data-reads.csv")
def personal_data_reads_csv():
    _form, filters = _form_and_filters()
    if filters is None:
        abort(422)
    try:
        stmt = reads_query(current_user, filters)
    except ValidationFailed:
        abort(422)

    # Built whole: a log row is ~100 bytes, so even a year of a province's reads is a few MB.
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(stmt))
    filename = f"personal-data-reads-{today_local().isoformat()}.csv"
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
