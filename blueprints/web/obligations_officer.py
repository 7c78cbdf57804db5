"""Officer pages for operators' obligations: self-inspection reports in the jurisdiction (list
with filters and overdue badges, review with the pre-filled discrepancy, return / accept)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from blueprints.web import obligations_forms as forms
from blueprints.web.forms import as_choices, province_choices
from blueprints.web.labels import label_for
from blueprints.web.obligations_portal import pdf_response
from blueprints.web.officer import paginate, require_role, run_service
from blueprints.web.templating import current_lang
from supervision.access.models import Role
from supervision.access.scoping import load_in_scope, province_in_scope, scoped
from supervision.audit import Actor
from supervision.clock import now_utc
from supervision.errors import Conflict, Forbidden, ValidationFailed
from supervision.extensions import db
from supervision.obligations import clauses
from supervision.obligations import self_inspection as reports
from supervision.obligations.models import BillingSample, FormatClause, SelfInspection
from supervision.obligations.samples import draw_billing_sample
from supervision.operators.models import Operator

bp = Blueprint("officer_obligations", __name__, url_prefix="/officer")
STATUSES = ("draft", "submitted", "returned", "accepted")
DECISIONS = ("accept", "return")


@bp.before_request
def require_officer():
    return require_role(Role.OFFICER)


@bp.get("/self-inspections")
def self_inspections():
    form = forms.ReportFilterForm(request.args)
    form.status.choices = as_choices([(s, label_for("report_status", s)) for s in STATUSES], _("Any status"))
    stmt = scoped(select(SelfInspection), current_user)
    if form.validate():
        if form.status.data:
            stmt = stmt.where(SelfInspection.status == form.status.data)
        if form.period.data:
            stmt = stmt.where(SelfInspection.period == form.period.data.strip().upper())
    # Overdue first, then those awaiting a decision, newest period first.
    stmt = stmt.order_by(SelfInspection.overdue.desc(), (SelfInspection.status == "submitted").desc(),
                         SelfInspection.period.desc(), SelfInspection.id.desc())
    return render_template("obligations/officer_reports.html", page=paginate(stmt), form=form)


def _render(report, return_form=None, status=200):
    view = reports.report_view(report, Actor.of(current_user))
    return render_template("obligations/officer_report.html", r=view,
                           return_form=return_form or forms.ReturnReportForm(formdata=None),
                           accept_form=forms.DecisionForm(formdata=None)), status


@bp.get("/self-inspections/<id:report_id>")
def self_inspection(report_id: int):
    return _render(load_in_scope(SelfInspection, current_user, id=report_id))


@bp.post("/self-inspections/<id:report_id>/actions/<action>")
def decide(report_id: int, action: str):
    report = load_in_scope(SelfInspection, current_user, id=report_id)
    if action not in DECISIONS:
        return _render(report, status=404)
    form = forms.ReturnReportForm() if action == "return" else forms.DecisionForm()
    if not form.validate_on_submit():
        return _render(report, form if action == "return" else None, 422)
    params = {"comment": form.comment.data} if action == "return" else {}
    try:
        reports.perform(report, action, params, Actor.of(current_user), now_utc())
    except ValidationFailed as problem:
        db.session.rollback()
        for messages in problem.errors.values():
            form.form_errors.extend(messages)
        return _render(report, form if action == "return" else None, 422)
    except (Conflict, Forbidden) as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(url_for(".self_inspection", report_id=report_id), code=303)
    db.session.commit()
    flash(_("Report returned to the operator with your comment.") if action == "return"
          else _("Report accepted."), "success")
    return redirect(url_for(".self_inspection", report_id=report_id), code=303)


@bp.get("/self-inspections/<id:report_id>.pdf")
def self_inspection_pdf(report_id: int):
    return pdf_response(load_in_scope(SelfInspection, current_user, id=report_id))


# --- billing-record samples -----------------------------------------------------------------------

def _draw_form(**kwargs) -> forms.SampleDrawForm:
    form = forms.SampleDrawForm(**kwargs)
    operators = db.session.scalars(scoped(select(Operator), current_user).order_by(Operator.name)).all()
    form.operator_id.choices = as_choices([(o.id, o.display_name(current_lang())) for o in operators])
    form.province.choices = as_choices([(c, n) for c, n in province_choices(current_lang())
                                      if province_in_scope(current_user, c)])
    return form


def _render_samples(form, status=200):
    stmt = scoped(select(BillingSample), current_user).order_by(BillingSample.id.desc())
    return render_template("obligations/officer_samples.html", page=paginate(stmt), form=form), status


@bp.get("/billing-samples")
def samples():
    return _render_samples(_draw_form(formdata=None))


@bp.post("/billing-samples")
def draw_sample():
    form = _draw_form()
    if not form.validate_on_submit():
        return _render_samples(form, 422)
    data = {"province": form.province.data, "size": form.size.data, "seed": form.seed.data,
            "accounts": [line.strip() for line in form.accounts.data.splitlines() if line.strip()]}
    outcome, sample = run_service(form, draw_billing_sample, current_user, form.operator_id.data, data, now_utc(),
                                  aliases={"operator_id": "operator_id"})
    if outcome != "ok":
        return _render_samples(form, 422)
    flash(_("Sample drawn with seed %(seed)s.", seed=sample.seed), "success")
    return redirect(url_for(".sample", sample_id=sample.id), code=303)


@bp.get("/billing-samples/<id:sample_id>")
def sample(sample_id: int):
    return render_template("obligations/officer_sample.html",
                           s=load_in_scope(BillingSample, current_user, id=sample_id))


# --- format clauses [M 15] -------------------------------------------------------------------------

@bp.get("/format-clauses")
def format_clauses():
    stmt = scoped(select(FormatClause), current_user)
    if request.args.get("status") in ("filed", "accepted", "changes_requested"):
        stmt = stmt.where(FormatClause.status == request.args["status"])
    stmt = stmt.order_by((FormatClause.status == "filed").desc(), FormatClause.filed_at.desc())
    return render_template("obligations/officer_clauses.html", page=paginate(stmt),
                           form=forms.ClauseReviewForm(formdata=None), status=request.args.get("status", ""))


@bp.post("/format-clauses/<id:clause_id>/actions/<action>")
def review_clause(clause_id: int, action: str):
    clause = load_in_scope(FormatClause, current_user, id=clause_id)
    form = forms.ClauseReviewForm()
    if action not in clauses.STEPS or not form.validate_on_submit():
        flash(_("The review was not saved: check the form."), "error")
        return redirect(url_for(".format_clauses"), code=303)
    try:
        clauses.review(clause, action, {"comment": form.comment.data}, Actor.of(current_user), now_utc())
    except (ValidationFailed, Conflict, Forbidden) as problem:
        db.session.rollback()
        flash("; ".join([problem.message] + [str(m) for ms in problem.errors.values() for m in ms]), "error")
        return redirect(url_for(".format_clauses"), code=303)
    db.session.commit()
    flash(_("Review recorded."), "success")
    return redirect(url_for(".format_clauses"), code=303)
