"""Operator portal pages for the operator's obligations: retention attestations (one, or many by
CSV) with the coverage picture [M 17], and the half-year self-inspection report [M 18]."""
from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from blueprints.web import obligations_forms as forms
from blueprints.web.forms import as_choices, province_choices
from blueprints.web.obligations_shared import report_pdf
from blueprints.web.officer import require_role, run_service
from blueprints.web.templating import current_lang
from supervision.access.models import Role
from supervision.access.scoping import load_in_scope, scoped
from supervision.audit import Actor
from supervision.clock import now_utc, today_local
from supervision.errors import Conflict, ValidationFailed
from supervision.extensions import db
from supervision.obligations import clauses, retention
from supervision.obligations import self_inspection as reports
from supervision.obligations.attestation_csv import file_from_csv
from supervision.obligations.checklist import RESULTS
from supervision.obligations.models import BillingSample, FormatClause, SelfInspection
from supervision.obligations.samples import answer_item
from supervision.operators.models import Operator

bp = Blueprint("portal_obligations", __name__, url_prefix="/portal")


@bp.before_request
def require_operator_staff():
    return require_role(Role.OPERATOR)


def _operator() -> Operator:
    return load_in_scope(Operator, current_user, id=current_user.operator_id)


# --- retention -------------------------------------------------------------------------------------

def _attestation_form(operator: Operator, **kwargs) -> forms.AttestationForm:
    form = forms.AttestationForm(**kwargs)
    licensed = set(retention.licensed_provinces(operator))
    form.province.choices = as_choices([(c, n) for c, n in province_choices(current_lang()) if c in licensed])
    if request.method == "GET":
        form.as_of.data = form.as_of.data or today_local()
    return form


def _render_retention(operator, form, upload_form, status=200):
    return render_template("obligations/portal_retention.html", operator=operator, form=form,
                           upload_form=upload_form, provinces=dict(province_choices(current_lang()))), status


@bp.get("/retention")
def retention_page():
    operator = _operator()
    return _render_retention(operator, _attestation_form(operator, formdata=None), forms.AttestationUploadForm())


@bp.post("/retention")
def file_attestation():
    operator = _operator()
    form = _attestation_form(operator)
    if not form.validate_on_submit():
        return _render_retention(operator, form, forms.AttestationUploadForm(formdata=None), 422)
    data = {name: getattr(form, name).data for name in ("system", "province", "earliest_day", "latest_day", "as_of")}
    outcome, attestation = run_service(form, retention.file_attestation, operator, data, Actor.of(current_user),
                                       now_utc())
    if outcome != "ok":
        return _render_retention(operator, form, forms.AttestationUploadForm(formdata=None), 422)
    if attestation.compliant:
        flash(_("Attestation filed: the required days are all held."), "success")
    else:
        flash(_("Attestation filed, but days are missing: see the gaps in red below."), "warning")
    return redirect(url_for(".retention_page"), code=303)


@bp.post("/retention/upload")
def upload_attestations():
    operator = _operator()
    upload_form = forms.AttestationUploadForm()
    form = _attestation_form(operator, formdata=None)
    if not upload_form.validate_on_submit():
        return _render_retention(operator, form, upload_form, 422)
    try:
        filed = file_from_csv(operator, upload_form.file.data.read(), Actor.of(current_user), now_utc())
    except ValidationFailed as problem:
        db.session.rollback()
        # Each message says where: "line 3: province — … is not licensed in province 33".
        upload_form.file.errors = [problem.message] + [f"{where}: {m}" for where, messages in problem.errors.items()
                                                       for m in messages]
        return _render_retention(operator, form, upload_form, 422)
    db.session.commit()
    flash(_("%(count)s attestations filed.", count=len(filed)), "success")
    return redirect(url_for(".retention_page"), code=303)


# --- self-inspection reports ----------------------------------------------------------------------

def _periods(today: date) -> list[tuple[str, str]]:
    """The current half-year and the two before it."""
    year, half = today.year, 1 if today.month <= 6 else 2
    periods = []
    for _step in range(3):
        periods.append(f"{year}H{half}")
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return as_choices([(period, period) for period in periods])


@bp.get("/self-inspections")
def self_inspections():
    stmt = scoped(select(SelfInspection), current_user).order_by(SelfInspection.period.desc())
    form = forms.NewReportForm(formdata=None)
    form.period.choices = _periods(today_local())
    return render_template("obligations/portal_reports.html", reports=db.session.scalars(stmt).all(), form=form)


@bp.post("/self-inspections")
def create_self_inspection():
    form = forms.NewReportForm()
    form.period.choices = _periods(today_local())
    if not form.validate_on_submit():
        flash(_("Choose a half-year."), "error")
        return redirect(url_for(".self_inspections"), code=303)
    try:
        report = reports.create_report(current_user, form.period.data, now_utc())
    except Conflict as conflict:
        # Submitted twice, or already started by a colleague: open the existing report.
        db.session.rollback()
        flash(conflict.message, "info")
        return redirect(url_for(".self_inspection", report_id=conflict.extra["id"]), code=303)
    except ValidationFailed as problem:
        db.session.rollback()
        flash(problem.message if not problem.errors else "; ".join(map(str, sum(problem.errors.values(), []))),
              "error")
        return redirect(url_for(".self_inspections"), code=303)
    db.session.commit()
    flash(_("Report started and pre-filled with the authority's figures."), "success")
    return redirect(url_for(".self_inspection", report_id=report.id), code=303)


def _render_report(report, metrics_form=None, submit_form=None, errors=None, status=200):
    view = reports.report_view(report, Actor.of(current_user))
    if metrics_form is None:
        metrics_form = forms.ReportMetricsForm(formdata=None, data={**view["metrics"], "problems": view["problems"],
                                                                    "corrective_actions": view["corrective_actions"]})
    return render_template("obligations/portal_report.html", r=view, form=metrics_form,
                           submit_form=submit_form or forms.SubmitReportForm(formdata=None),
                           errors=errors if errors is not None else {}, results=RESULTS), status


@bp.get("/self-inspections/<id:report_id>")
def self_inspection(report_id: int):
    return _render_report(load_in_scope(SelfInspection, current_user, id=report_id))


@bp.post("/self-inspections/<id:report_id>")
def save_self_inspection(report_id: int):
    report = load_in_scope(SelfInspection, current_user, id=report_id)
    form = forms.ReportMetricsForm()
    if not form.validate_on_submit():
        return _render_report(report, form, status=422)
    checklist = [{"item": row["item"], "result": request.form.get(f"result-{row['item']}") or None,
                  "explanation": request.form.get(f"explanation-{row['item']}", "")[:4000]}
                 for row in report.checklist]
    metrics = {"complaints_received": form.complaints_received.data,
               "answered_in_time_share": _number(form.answered_in_time_share.data),
               "billing_error_rate": _number(form.billing_error_rate.data)}
    data = {"checklist": checklist, "metrics": metrics, "problems": form.problems.data,
            "corrective_actions": form.corrective_actions.data}
    outcome, _saved = run_service(form, reports.update_report, report, data, current_user, now_utc())
    if outcome == "invalid":
        return _render_report(report, form, status=422)
    if outcome == "ok":
        flash(_("Report saved."), "success")
    return redirect(url_for(".self_inspection", report_id=report_id), code=303)


def _number(value):
    return float(value) if value is not None else None


@bp.post("/self-inspections/<id:report_id>/submit")
def submit_self_inspection(report_id: int):
    report = load_in_scope(SelfInspection, current_user, id=report_id)
    form = forms.SubmitReportForm()
    if not form.validate_on_submit():
        return _render_report(report, submit_form=form, status=422)
    if reports.report_warnings(report) and not form.confirm_warnings.data:
        form.confirm_warnings.errors = [_("Confirm the warnings before you submit.")]
        return _render_report(report, submit_form=form, status=422)
    try:
        reports.perform(report, "submit", {}, Actor.of(current_user), now_utc())
    except ValidationFailed as problem:
        db.session.rollback()
        return _render_report(report, submit_form=form, errors=problem.errors, status=422)
    except Conflict as conflict:
        db.session.rollback()
        flash(conflict.message, "error")
        return redirect(url_for(".self_inspection", report_id=report_id), code=303)
    db.session.commit()
    flash(_("Report submitted to the authority."), "success")
    return redirect(url_for(".self_inspection", report_id=report_id), code=303)


@bp.get("/self-inspections/<id:report_id>.pdf")
def self_inspection_pdf(report_id: int):
    report = load_in_scope(SelfInspection, current_user, id=report_id)
    return pdf_response(report)


def pdf_response(report) -> Response:
    """Only a report handed in has a PDF: a draft is still the operator's working copy."""
    if report.status == "draft":
        raise Conflict(_("A draft report has no PDF yet: submit it first."), state=report.status)
    view = reports.report_view(report, Actor.of(current_user))
    return Response(report_pdf(view), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="self-inspection-{report.period}-{report.id}.pdf"'})



# --- billing-record samples -----------------------------------------------------------------------

@bp.get("/samples")
def samples_page():
    stmt = scoped(select(BillingSample), current_user).order_by(BillingSample.id.desc())
    return render_template("obligations/portal_samples.html", samples=db.session.scalars(stmt).all(),
                           form=forms.SampleAnswerForm(formdata=None))


@bp.post("/samples/<id:sample_id>/items/<id:item_id>")
def answer_sample_item(sample_id: int, item_id: int):
    sample = load_in_scope(BillingSample, current_user, id=sample_id)
    form = forms.SampleAnswerForm()
    if not form.validate_on_submit():
        flash(_("The answer was not saved: check the form."), "error")
        return redirect(url_for(".samples_page"), code=303)
    upload = form.file.data
    content = (upload.filename, upload.read()) if upload and upload.filename else None
    try:
        answer_item(sample, item_id, form.produced.data == "yes", content, form.note.data, current_user, now_utc())
    except (ValidationFailed, Conflict) as problem:
        db.session.rollback()
        flash("; ".join([problem.message] + [str(m) for ms in problem.errors.values() for m in ms]), "error")
        return redirect(url_for(".samples_page"), code=303)
    db.session.commit()
    flash(_("Answer recorded."), "success")
    return redirect(url_for(".samples_page"), code=303)


# --- format clauses [M 15] -------------------------------------------------------------------------

def _render_clauses(form, status=200):
    stmt = scoped(select(FormatClause), current_user).order_by(FormatClause.title, FormatClause.version.desc())
    return render_template("obligations/portal_clauses.html", clauses=db.session.scalars(stmt).all(),
                           form=form), status


@bp.get("/format-clauses")
def format_clauses():
    return _render_clauses(forms.ClauseForm(formdata=None))


@bp.post("/format-clauses")
def file_format_clause():
    form = forms.ClauseForm()
    if not form.validate_on_submit():
        return _render_clauses(form, 422)
    outcome, clause = run_service(form, clauses.file_clause, _operator(),
                                  {"title": form.title.data, "text": form.text.data}, current_user, now_utc())
    if outcome != "ok":
        return _render_clauses(form, 422)
    flash(_("Clause filed as version %(version)s.", version=clause.version), "success")
    return redirect(url_for(".format_clauses"), code=303)
