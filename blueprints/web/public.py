"""The public site: home, operator directory, complaint form, tracking, API docs, language switch."""
import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, text
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import NotFound as HTTPNotFound

from blueprints.api.common import commit
from blueprints.errors import rollback_quietly
from blueprints.limits import complaint_by_access_code, limit_public_intake
from blueprints.web.forms import ACTION_FORMS, ComplaintForm, TrackForm, chosen_files, province_choices
from blueprints.web.i18n import switch_language
from blueprints.web.templating import current_lang
from supervision.access.scoping import scoped
from supervision.audit import COMPLAINANT
from supervision.clock import now_utc, today_local
from supervision.complaints import attachments, intake, receipts, rules, transitions, views
from supervision.errors import DomainError, NotFound, ValidationFailed
from supervision.extensions import db
from supervision.operators.models import Operator

bp = Blueprint("public", __name__)
log = logging.getLogger(__name__)
MAX_DIRECTORY_ROWS = 500


def _no_store(body, status: int = 200):
    """Pages with an access code or personal data must not stay in caches or history."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    """200 when the database answers a trivial query (SPEC §10); 503 for monitors when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except OperationalError:
        rollback_quietly()
        log.error("health check: the database does not answer")
        response = jsonify(status="unavailable")
        response.headers["Retry-After"] = str(current_app.config["DATABASE_DOWN_RETRY_AFTER"])
        return response, 503
    return jsonify(status="ok")


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page links: answer it, not a 404 in every log."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=86400)


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

FILED_PASS_KEY = "filed_pass"
TRACKING_PASS_KEY = "tracking_pass"


@bp.route("/complaints/new", methods=["GET", "POST"])
def complaint_new():
    if request.method == "POST":
        limit_public_intake()  # reading the form is free, submitting it counts (SPEC §9)
    form = ComplaintForm()
    form.fill_choices(current_lang())
    if not form.is_submitted():
        form.submission_token.data = receipts.new_token()
        return render_template("public/complaint_form.html", form=form)
    # Post / redirect / get: a reload of the confirmation never files again, and the same form
    # sent twice (back button, double click) is answered with the complaint it already filed.
    pass_token = receipts.submission_pass_token(form.submission_token.data or receipts.new_token())
    if receipts.find(pass_token, receipts.FILED, now_utc()) is not None:
        return _to_confirmation(pass_token)
    if not form.validate():
        form.attach_errors(_precheck(form))
        return render_template("public/complaint_form.html", form=form), 422
    previous_pass = session.get(FILED_PASS_KEY)
    previous = receipts.find(previous_pass, receipts.FILED, now_utc())
    if previous and intake.same_complaint(previous[0], form.to_intake_data()):
        return _to_confirmation(previous_pass)  # the filed form, sent again from the back button
    try:
        complaint, access_code = _file_with_evidence(form)
        receipts.issue(complaint, access_code, pass_token, receipts.FILED, now_utc())
    except ValidationFailed as error:
        db.session.rollback()  # nothing is saved when the complaint cannot be filed
        unplaced = form.attach_errors(error.errors)
        return render_template("public/complaint_form.html", form=form, problem=error.message,
                               unplaced=unplaced), 422
    except receipts.DuplicateSubmission:
        db.session.rollback()  # the twin request filed it: show that one
        return _to_confirmation(pass_token)
    commit()
    return _to_confirmation(pass_token)


def _precheck(form: ComplaintForm) -> dict[str, list[str]]:
    """The rules of intake on the fields that are well-formed, so a form with a format error
    also shows its precondition problems in the same round (not one after the other)."""
    data = form.partial_intake_data()
    return intake.intake_precheck(data, now_utc()) if data else {}


def _to_confirmation(pass_token: str):
    session[FILED_PASS_KEY] = pass_token
    return redirect(url_for("public.complaint_filed"), code=303)


@bp.get("/complaints/filed")
def complaint_filed():
    found = receipts.find(session.get(FILED_PASS_KEY), receipts.FILED, now_utc())
    if found is None:
        flash(_("No complaint was filed from this browser recently."), "info")
        return redirect(url_for("public.complaint_new"))
    complaint, access_code = found
    commit()  # an expired code is erased at this first look
    return _no_store(render_template("public/complaint_filed.html", complaint=complaint,
                                     access_code=access_code, deadlines=_deadlines(complaint)))


@bp.post("/complaints/filed/done")
def complaint_filed_done():
    """"I have written them down": the code leaves the screen (and the server) now."""
    receipts.forget(session.get(FILED_PASS_KEY), receipts.FILED)
    commit()
    flash(_("The access code is no longer shown. Keep it with your reference."), "success")
    return redirect(url_for("public.track"), code=303)


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
    return [views.deadline_view(d, lang, today=today_local(), complaint=complaint) for d in complaint.deadlines]


# --- tracking ------------------------------------------------------------------------------

@bp.route("/track", methods=["GET", "POST"])
def track():
    form = TrackForm()
    if not form.is_submitted():
        return render_template("public/track.html", form=form)
    if not form.validate():
        return render_template("public/track.html", form=form), 422
    reference, code = form.reference.data, form.access_code.data
    try:
        complaint = complaint_by_access_code(reference, code)
    except NotFound:
        return _not_found(reference)
    return _to_tracking_result(complaint, code)


def _to_tracking_result(complaint, code: str, anchor: str | None = None):
    """Remember the checked code server-side for a while (the browser holds a random token),
    so the result survives a reload or a language switch, then show it by GET."""
    token = receipts.new_token()
    receipts.issue(complaint, rules.normalize_access_code(code), token, receipts.TRACKING, now_utc())
    commit()
    session[TRACKING_PASS_KEY] = token
    return redirect(url_for("public.track_result", _anchor=anchor), code=303)


@bp.get("/track/complaint")
def track_result():
    found = receipts.find(session.get(TRACKING_PASS_KEY), receipts.TRACKING, now_utc())
    if found is None:
        flash(_("For your privacy, enter the reference and the access code again."), "info")
        return redirect(url_for("public.track"))
    complaint, code = found
    return _tracking_page(complaint, code)


@bp.get("/track/complaint/files/<id:attachment_id>")
def track_attachment(attachment_id: int):
    """A file of the complaint the browser opened with its code (the operator's evidence too)."""
    found = receipts.find(session.get(TRACKING_PASS_KEY), receipts.TRACKING, now_utc())
    if found is None:
        raise HTTPNotFound()
    complaint = found[0]
    attachment = next((a for a in complaint.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise HTTPNotFound()
    response = send_file(attachments.attachment_path(attachment), mimetype=attachment.content_type,
                         as_attachment=True, download_name=attachment.filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/track/actions/<action>")
def track_action(action: str):
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise HTTPNotFound()
    form = form_class(prefix=action)
    reference, code = form.reference.data or "", form.access_code.data or ""
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
        form.form_errors.append(error.message)
        return _tracking_page(complaint, code, failed=(action, form), status=error.status)
    commit()
    flash(SUCCESS_MESSAGES[action], "success")
    return _to_tracking_result(complaint, code, anchor="messages")


SUCCESS_MESSAGES = {
    "provide_info": _l("Thank you: the information was sent and the handling continues."),
    "withdraw": _l("Your complaint has been withdrawn."),
    "respond_settlement": _l("Your answer to the proposed settlement was recorded."),
    "rate": _l("Thank you for rating the handling of your complaint."),
}


def _tracking_page(complaint, code: str, failed=None, status: int = 200):
    """The complainant's view, with a form for each action open to them now.

    `failed` is (action, form) when that form was just refused: it is shown again with its
    errors, and the page opens at that form (its errors are where the eye is).
    """
    view = views.complaint_view(complaint, None, current_lang(), today=today_local())
    hidden = {"reference": complaint.reference, "access_code": code}
    forms = {action: ACTION_FORMS[action](prefix=action, formdata=None, data=hidden)
             for action in view["allowed_actions"] if action in ACTION_FORMS}
    if failed and failed[0] in forms:
        forms[failed[0]] = failed[1]
    problem = None
    if failed and failed[0] not in forms:
        problem = " ".join(map(str, failed[1].form_errors))  # its form is gone: say why at the top
    # After a refused action (a POST page) the language switch goes to the result page (GET).
    lang_next = url_for("public.track_result") if failed else None
    return _no_store(render_template("public/track_result.html", view=view, forms=forms, lang_next=lang_next,
                                     problem=problem, failed_action=failed[0] if failed else None), status)


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
