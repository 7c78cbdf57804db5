"""Officer pages of rectification orders and penalty decisions (SPEC §7), with their PDFs."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from blueprints.downloads import send_evidence
from blueprints.web import inspection_forms as forms
from blueprints.web.inspection_labels import LABELS
from blueprints.web.officer import bp, form_status, paginate, run_service
from blueprints.web.officer_inspections import operator_choices, step_and_return
from supervision.access.scoping import load_in_scope, scoped
from supervision.clock import now_utc
from supervision.extensions import db
from supervision.findings.models import Finding
from supervision.orders import documents, penalties, services
from supervision.orders.models import ORDER_STATES, PENALTY_STATES, PenaltyDecision, RectificationOrder
from supervision.orders.views import order_view, penalty_view


def pdf_response(content: bytes, name: str) -> Response:
    return Response(content, mimetype="application/pdf", headers={"Content-Disposition": f"inline; filename={name}"})


def open_finding_choices(user) -> list[tuple[int, str]]:
    stmt = scoped(select(Finding), user).where(Finding.state == "open").order_by(Finding.id.desc()).limit(200)
    return [(f.id, f"#{f.id} {f.operator.name} · {f.article} · {f.facts[:60]}") for f in db.session.scalars(stmt)]


@bp.route("/orders", methods=["GET", "POST"])
def orders():
    form = forms.OrderForm()
    form.operator_id.choices = operator_choices(current_user)
    form.finding_ids.choices = open_finding_choices(current_user)
    if form.validate_on_submit():
        data = {"operator_id": form.operator_id.data, "finding_ids": form.finding_ids.data,
                "requirement": form.requirement.data, "deadline": form.deadline.data}
        outcome, order = run_service(form, services.issue_order, current_user, data, now_utc())
        if outcome == "ok":
            flash(_("Order %(number)s issued.", number=order.number), "success")
            return redirect(url_for("officer.order", id=order.id))
    stmt = scoped(select(RectificationOrder), current_user)
    status, overdue = request.args.get("state"), request.args.get("overdue") == "1"
    if status in ORDER_STATES:
        stmt = stmt.where(RectificationOrder.status == status)
    if overdue:
        stmt = stmt.where(RectificationOrder.overdue.is_(True))
    page = paginate(stmt.order_by(RectificationOrder.deadline_on, RectificationOrder.id))
    return render_template("officer/orders.html", page=page, form=form, status=status, overdue=overdue,
                           states=ORDER_STATES), form_status() if form.errors else 200


@bp.get("/orders/<id:id>")
def order(id: int):
    record = load_in_scope(RectificationOrder, current_user, id=id)
    return render_template("officer/order.html", view=order_view(record, current_user), step_form=forms.StepForm(),
                           step_fields=forms.STEP_FIELDS, labels=LABELS, evidence_endpoint="officer.order_evidence")


@bp.post("/orders/<id:id>/actions/<action>")
def order_action(id: int, action: str):
    record = load_in_scope(RectificationOrder, current_user, id=id)
    return step_and_return("officer.order", record, services.perform, action)


@bp.get("/orders/<id:id>/evidence/<id:number>")
def order_evidence(id: int, number: int):
    record = load_in_scope(RectificationOrder, current_user, id=id)
    return send_evidence(services.evidence_file(record, number))


@bp.get("/orders/<id:id>/notice.pdf")
def order_notice(id: int):
    record = load_in_scope(RectificationOrder, current_user, id=id)
    return pdf_response(documents.order_notice_pdf(record), f"order-{record.id}.pdf")


@bp.route("/penalties", methods=["GET", "POST"])
def penalties_page():
    form = forms.PenaltyForm()
    form.operator_id.choices = operator_choices(current_user)
    form.rule.choices = [(r.code, f"[{r.article}] {r.legal_source}") for r in penalties.rules()]
    if form.validate_on_submit():
        data = {name: form[name].data for name in ("operator_id", "rule", "measure", "amount_yuan", "facts",
                                                    "finding_id", "order_id")}
        outcome, decision = run_service(form, penalties.prepare_penalty, current_user, data, now_utc())
        if outcome == "ok":
            flash(_("Draft decision prepared: a publisher other than you approves it."), "success")
            return redirect(url_for("officer.penalty", id=decision.id))
    stmt = scoped(select(PenaltyDecision), current_user)
    status = request.args.get("state")
    if status in PENALTY_STATES:
        stmt = stmt.where(PenaltyDecision.status == status)
    page = paginate(stmt.order_by(PenaltyDecision.id.desc()))
    return render_template("officer/penalties.html", page=page, form=form, status=status, states=PENALTY_STATES,
                           rules=penalties.rules(), range_text=penalties.range_text), \
        form_status() if form.errors else 200


@bp.get("/penalties/<id:id>")
def penalty(id: int):
    record = load_in_scope(PenaltyDecision, current_user, id=id)
    return render_template("officer/penalty.html", view=penalty_view(record, current_user),
                           step_form=forms.StepForm(), step_fields=forms.STEP_FIELDS)


@bp.post("/penalties/<id:id>/actions/<action>")
def penalty_action(id: int, action: str):
    record = load_in_scope(PenaltyDecision, current_user, id=id)
    return step_and_return("officer.penalty", record, penalties.perform, action)


@bp.get("/penalties/<id:id>/decision.pdf")
def penalty_document(id: int):
    record = load_in_scope(PenaltyDecision, current_user, id=id)
    if record.number is None:
        flash(_("A draft has no document yet: it is numbered when approved."), "error")
        return redirect(url_for("officer.penalty", id=id))
    return pdf_response(documents.penalty_decision_pdf(record), f"penalty-{record.id}.pdf")
