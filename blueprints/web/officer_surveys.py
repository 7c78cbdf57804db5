"""Officer pages for surveys: upload a survey file (all or nothing, errors by line and column),
the recent imports, and the satisfaction index computed now (unpublished preview)."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import Optional, Regexp

from blueprints.web.forms import as_choices, province_choices
from blueprints.web.labels import LABELS
from blueprints.web.officer import form_status, require_role
from blueprints.web.templating import current_lang
from supervision.access.models import Role, User
from supervision.clock import now_utc, today_local
from supervision.errors import ValidationFailed
from supervision.extensions import db
from supervision.operators.rules import previous_quarter, quarter_of
from supervision.surveys import services
from supervision.surveys.imports import SurveyImportRefused, import_survey_file
from supervision.surveys.models import SurveyImport

bp = Blueprint("officer_surveys", __name__, url_prefix="/officer/surveys")
RECENT_IMPORTS = 20
PERIOD_RULE = Regexp(r"^\d{4}Q[1-4]$", message=_l("Enter a quarter like 2026Q3."))


class SurveyUploadForm(FlaskForm):
    file = FileField(_l("Survey file (CSV, UTF-8)"), validators=[
        FileRequired(_l("Choose a CSV file.")), FileAllowed(["csv"], _l("The file must be a .csv file."))])


class IndexPreviewForm(FlaskForm):
    class Meta:
        csrf = False

    period = StringField(_l("Quarter"), validators=[Optional(), PERIOD_RULE], description=_l("e.g. 2026Q3"))
    service = SelectField(_l("Service"), validators=[Optional()])


@bp.before_request
def require_officer():
    return require_role(Role.OFFICER)


@bp.route("", methods=["GET", "POST"])
def surveys():
    form = SurveyUploadForm()
    refused = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            survey_import = import_survey_file(upload.stream, upload.filename, current_user, now_utc())
        except SurveyImportRefused as error:
            db.session.rollback()
            refused = error
        else:
            db.session.commit()
            flash(_("Imported %(num)d survey rows from %(file)s.", num=survey_import.rows,
                    file=survey_import.filename), "success")
            return redirect(url_for("officer_surveys.surveys"), 303)
    imports = db.session.execute(
        select(SurveyImport, User.username).outerjoin(User, User.id == SurveyImport.imported_by)
        .order_by(SurveyImport.id.desc()).limit(RECENT_IMPORTS)).all()
    status = form_status()  # a POST that reaches here was refused: nothing imported
    return render_template("officer/surveys.html", form=form, refused=refused, imports=imports,
                           max_megabytes=current_app.config["UPLOAD_MAX_BYTES"] * 4 // (1024 * 1024)), status


@bp.get("/index")
def index_preview():
    form = IndexPreviewForm(request.args)
    form.service.choices = as_choices(LABELS["survey_service"].items(), _l("All services"))
    form.validate()
    period = form.period.data if form.period.data and not form.period.errors else \
        previous_quarter(quarter_of(today_local()))
    version = services.current_methodology()
    try:
        cells = services.index_cells(period, current_user, services.method_of(version),
                                     service=form.service.data or None)
    except ValidationFailed:
        cells = []
    return render_template("officer/survey_index.html", form=form, period=period, cells=cells, methodology=version,
                           provinces=dict(province_choices(current_lang())))
