"""The public site: home, operator directory, complaint form, tracking, API docs, language switch."""
from flask import (
    Blueprint,
    flash,
    jsonify,
    make_response,
    render_template,
    request,
    send_from_directory,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, text
from werkzeug.exceptions import NotFound as HTTPNotFound

from blueprints.api.common import commit
from blueprints.limits import complaint_by_access_code, limit_public_intake
from blueprints.web.forms import ACTION_FORMS, ComplaintForm, TrackForm, chosen_files, province_choices
from blueprints.web.i18n import switch_language
from blueprints.web.templating import current_lang
from supervision.access.scoping import scoped
from supervision.audit import COMPLAINANT
from supervision.clock import now_utc
from supervision.complaints import attachments, intake, transitions, views
from supervision.errors import DomainError, NotFound, ValidationFailed
from supervision.extensions import db
from supervision.operators.models import Operator

bp = Blueprint("public", __name__)
MAX_DIRECTORY_ROWS = 500


def _no_store(body, status: int = 200):
    """Pages with an access code or personal data must not stay in caches or history."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")


@bp.get("/")
def home():
    return render_template("public/home.html")


@bp.post("/lang")
def set_language():
    return switch_language(request.form.get("lang"), request.form.get("next"))


@bp.get("/operators")
def operators():
    lang = current_lang()
    query = (request.args.get("q") or "").strip()[:100]
    province = request.args.get("province") or ""
    provinces = province_choices(lang)
    stmt = scoped(select(Operator), None)
    if query:
        pattern = f"%{query}%"
        stmt = stmt.where(or_(Operator.name.ilike(pattern), Operator.name_en.ilike(pattern)))
    if province in dict(provinces):
        # A national operator serves every province [M 18].
        stmt = stmt.where(or_(Operator.scope == "national", Operator.province == province))
    rows = db.session.scalars(stmt.order_by(Operator.name).limit(MAX_DIRECTORY_ROWS)).all()
    return render_template("public/operators.html", operators=rows, q=query, province=province,
                           provinces=provinces, province_names=dict(provinces))


# --- complaint intake ----------------------------------------------------------------------

@bp.route("/complaints/new", methods=["GET", "POST"])
def complaint_new():
    if request.method == "POST":
        limit_public_intake()  # reading the form is free, submitting it counts (SPEC §9)
    form = ComplaintForm()
    form.fill_choices(current_lang())
    if not form.is_submitted():
        return render_template("public/complaint_form.html", form=form)
    if not form.validate():
        return render_template("public/complaint_form.html", form=form), 422
    try:
        complaint, access_code = _file_with_evidence(form)
    except ValidationFailed as error:
        db.session.rollback()  # nothing is saved when the complaint cannot be filed
        unplaced = form.attach_errors(error.errors)
        return render_template("public/complaint_form.html", form=form, problem=error.message,
                               unplaced=unplaced), 422
    commit()
    # Rendered straight from the POST: the access code never travels in a URL.
    return _no_store(render_template("public/complaint_filed.html", complaint=complaint,
                                     access_code=access_code, deadlines=_deadlines(complaint)))


def _file_with_evidence(form: ComplaintForm):
    now = now_utc()
    complaint, access_code = intake.file_complaint(form.to_intake_data(), None, now, "web")
    _store_files(complaint, form.evidence.data, now)
    return complaint, access_code


def _store_files(complaint, files, now) -> None:
    for upload in chosen_files(files):
        attachments.store_attachment(complaint, upload.filename, upload.read(), COMPLAINANT, now)


def _deadlines(complaint) -> list[dict]:
    lang = current_lang()
    return [views.deadline_view(d, lang) for d in complaint.deadlines]


# --- tracking ------------------------------------------------------------------------------

@bp.route("/track", methods=["GET", "POST"])
def track():
    form = TrackForm()
    if not form.is_submitted():
        return render_template("public/track.html", form=form)
    if not form.validate():
        return render_template("public/track.html", form=form), 422
    reference, code = form.reference.data.strip(), form.access_code.data.strip()
    try:
        complaint = complaint_by_access_code(reference, code)
    except NotFound:
        return _not_found(reference)
    return _tracking_page(complaint, code)


@bp.post("/track/actions/<action>")
def track_action(action: str):
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise HTTPNotFound()
    form = form_class(prefix=action)
    reference, code = (form.reference.data or "").strip(), (form.access_code.data or "").strip()
    try:
        complaint = complaint_by_access_code(reference, code)
    except NotFound:
        return _not_found(reference)
    if not form.validate():
        return _tracking_page(complaint, code, failed=(action, form), status=422)
    try:
        now = now_utc()
        transitions.perform(complaint, action, form.params(), COMPLAINANT, now)
        if action == "provide_info":
            _store_files(complaint, form.file.data, now)
    except DomainError as error:
        db.session.rollback()
        return _tracking_page(complaint, code, failed=(action, form), problem=error.message, status=error.status)
    commit()
    flash(SUCCESS_MESSAGES[action], "success")
    return _tracking_page(complaint, code)


SUCCESS_MESSAGES = {
    "provide_info": _l("Thank you: the information was sent and the handling continues."),
    "withdraw": _l("Your complaint has been withdrawn."),
    "respond_settlement": _l("Your answer to the proposed settlement was recorded."),
    "rate": _l("Thank you for rating the handling of your complaint."),
}


def _tracking_page(complaint, code: str, failed=None, problem: str | None = None, status: int = 200):
    """The complainant's view, with a form for each action open to them now.

    `failed` is (action, form) when that form was just refused: it is shown again with its errors.
    """
    view = views.complaint_view(complaint, None, current_lang())
    hidden = {"reference": complaint.reference, "access_code": code}
    forms = {action: ACTION_FORMS[action](prefix=action, formdata=None, data=hidden)
             for action in view["allowed_actions"] if action in ACTION_FORMS}
    if failed and failed[0] in forms:
        forms[failed[0]] = failed[1]
    return _no_store(render_template("public/track_result.html", view=view, forms=forms, problem=problem),
                     status)


def _not_found(reference: str):
    """The same answer for an unknown reference and a wrong code (no existence leak)."""
    form = TrackForm(formdata=None, data={"reference": reference})
    return _no_store(render_template("public/track.html", form=form,
                                     problem=_("No complaint with this reference and access code.")), 404)


# --- API documentation ---------------------------------------------------------------------

@bp.get("/api/v1/docs")
def api_docs():
    from blueprints.api import api

    paths = api.spec.to_dict().get("paths", {})
    return render_template("public/api_docs.html", paths=paths)


@bp.get("/api/v1/docs/assets/<path:filename>")
def api_docs_asset(filename: str):
    """Swagger UI's files from the swagger-ui-bundle package: served here, no CDN."""
    from swagger_ui_bundle import swagger_ui_path

    return send_from_directory(swagger_ui_path, filename, max_age=86400)
