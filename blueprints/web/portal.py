"""The operator portal: the complaints transferred to the user's operator, the reply and the
supervision report, the operator's own registry record, and its published hotlines [M 16]."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from blueprints.web import officer_forms as forms
from blueprints.web.forms import chosen_files
from blueprints.web.labels import label_for
from blueprints.web.officer import (
    QUEUE_COUNT_CAP,
    next_deadline,
    paginate,
    require_role,
    run_service,
    send_attachment,
)
from blueprints.web.templating import current_lang
from supervision.access.models import Role
from supervision.access.scoping import load_in_scope
from supervision.audit import Actor
from supervision.clock import now_utc, today_local
from supervision.complaints import attachments, transitions, views
from supervision.complaints.models import Complaint
from supervision.complaints.queue import QueueFilters, nearest_due_page, queue_query, queue_row_loading
from supervision.errors import ValidationFailed
from supervision.extensions import db
from supervision.operators import hotlines
from supervision.operators.models import CHANNEL_KINDS, Operator
from supervision.operators.services import current_status

bp = Blueprint("portal", __name__, url_prefix="/portal")
PORTAL_ACTIONS = ("operator_reply", "supervision_report")
BLANK_HOTLINE_ROWS = 2  # room to add channels without script
MAX_HOTLINE_ROWS = 50


@bp.before_request
def require_operator_staff():
    return require_role(Role.OPERATOR)


@bp.get("/")
def queue():
    # scoped() already limits operator staff to complaints transferred to their operator.
    stmt = queue_query(current_user, QueueFilters()).options(*queue_row_loading())
    page = paginate(stmt, fetch=nearest_due_page, count_cap=QUEUE_COUNT_CAP)
    return render_template("operator/queue.html", page=page, next_deadline=next_deadline)


@bp.get("/operator")
def operator_record():
    operator = load_in_scope(Operator, current_user, id=current_user.operator_id)
    return render_template("operator/operator.html", operator=operator,
                           status_now=current_status(operator, today_local()),
                           provinces=dict(forms.province_choices(current_lang())))


def _render_hotlines(operator: Operator, rows: list[dict], errors: dict | None = None, status: int = 200):
    blank = {"kind": "phone", "number": "", "label": ""}
    return render_template("operator/hotlines.html", operator=operator, form=FlaskForm(),
                           rows=rows + [blank] * BLANK_HOTLINE_ROWS, kinds=CHANNEL_KINDS, errors=errors or {},
                           history=hotlines.hotline_history(operator)), status


@bp.get("/hotlines")
def hotlines_page():
    operator = load_in_scope(Operator, current_user, id=current_user.operator_id)
    return _render_hotlines(operator, hotlines.as_dicts(operator.hotlines))


def _submitted_rows() -> list[dict]:
    """The form's rows in order; a row left empty (no number, no label) is not a channel."""
    rows = []
    for i in range(MAX_HOTLINE_ROWS + BLANK_HOTLINE_ROWS):
        row = {name: request.form.get(f"{name}-{i}", "").strip() for name in ("kind", "number", "label")}
        if row["number"] or row["label"]:
            rows.append(row | {"label": row["label"] or None})
    return rows


@bp.post("/hotlines")
def save_hotlines():
    operator = load_in_scope(Operator, current_user, id=current_user.operator_id)
    form, rows = FlaskForm(), _submitted_rows()
    if not form.validate_on_submit():
        return _render_hotlines(operator, rows, status=400)
    try:
        hotlines.replace_hotlines(operator, rows, current_user, now_utc())
    except ValidationFailed as error:
        db.session.rollback()
        return _render_hotlines(operator, rows, error.errors, 422)
    db.session.commit()
    flash(_("Your complaint hotlines are saved and published."), "success")
    return redirect(url_for(".hotlines_page"), code=303)


@bp.get("/complaints/<reference>")
def complaint_detail(reference: str):
    complaint = load_in_scope(Complaint, current_user, reference=reference)
    return _render_complaint(complaint)


def _render_complaint(complaint: Complaint, failed: tuple | None = None, status: int = 200):
    view = views.complaint_view(complaint, current_user, current_lang(), today=today_local())
    action_forms = {}
    if "operator_reply" in view["allowed_actions"]:
        action_forms["operator_reply"] = forms.action_form("operator_reply", formdata=None)
    if "supervision_report" in view["allowed_actions"]:
        action_forms["supervision_report"] = forms.action_form("supervision_report", formdata=None)
    if failed:
        action_forms[failed[0]] = failed[1]
    return render_template("operator/complaint.html", c=view, action_forms=action_forms,
                           failed_action=failed[0] if failed else None,
                           lang_next=url_for(".complaint_detail", reference=complaint.reference),
                           provinces=dict(forms.province_choices(current_lang()))), status


def _reply_with_evidence(complaint: Complaint, params: dict, files: list, now) -> None:
    """The reply and its evidence in one transaction: a refused file saves neither."""
    actor = Actor.of(current_user)
    transitions.perform(complaint, "operator_reply", params, actor, now)
    for upload in files:
        attachments.store_attachment(complaint, upload.filename, upload.read(), actor, now)


@bp.post("/complaints/<reference>/actions/<action>")
def complaint_action(reference: str, action: str):
    complaint = load_in_scope(Complaint, current_user, reference=reference)
    if action not in PORTAL_ACTIONS:
        abort(404)
    form = forms.action_form(action)
    if not form.validate_on_submit():
        return _render_complaint(complaint, (action, form), 422)
    params = forms.action_params(form)
    if action == "operator_reply":
        files = chosen_files(form.evidence.data)
        outcome, _changed = run_service(form, _reply_with_evidence, complaint, params, files, now_utc(),
                                        aliases={"file": "evidence"})
    else:
        outcome, _changed = run_service(form, transitions.perform, complaint, action, params,
                                        Actor.of(current_user), now_utc())
    if outcome == "invalid":
        return _render_complaint(complaint, (action, form), 422)
    if outcome == "ok":
        flash(_("%(action)s: done. The authority has been informed.", action=label_for("action_button", action)),
              "success")
    # The message (done, or why not) is at the top: open the page there, not at the old form.
    return redirect(url_for(".complaint_detail", reference=reference, _anchor="messages"))


@bp.get("/complaints/<reference>/attachments/<id:attachment_id>")
def complaint_attachment(reference: str, attachment_id: int):
    complaint = load_in_scope(Complaint, current_user, reference=reference)
    return send_attachment(complaint, attachment_id)
