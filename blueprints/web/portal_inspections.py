"""Operator portal pages: draft spot-check results to answer (right of reply), rectification
orders to plan and report on, and the penalty decisions addressed to the operator."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from blueprints.downloads import send_evidence
from blueprints.web import inspection_forms as forms
from blueprints.web.officer_inspections import act_and_return, step_and_return
from blueprints.web.officer_orders import pdf_response
from blueprints.web.portal import bp
from supervision.access.scoping import load_in_scope, scoped
from supervision.clock import now_utc
from supervision.extensions import db
from supervision.inspections import transitions
from supervision.inspections.models import Inspection
from supervision.inspections.views import inspection_view
from supervision.orders import documents, services
from supervision.orders.models import PenaltyDecision, RectificationOrder
from supervision.orders.views import order_view


@bp.get("/supervision")
def supervision():
    """Everything the authority addressed to the operator: results, orders, decisions."""
    user = current_user
    inspections = db.session.scalars(scoped(select(Inspection), user).order_by(Inspection.id.desc()).limit(100))
    orders = db.session.scalars(scoped(select(RectificationOrder), user).order_by(RectificationOrder.id.desc())
                                .limit(100))
    # Drafts are left out by the scope rule itself (access/scoping.py), for pages and API alike.
    decisions = db.session.scalars(scoped(select(PenaltyDecision), user)
                                   .order_by(PenaltyDecision.id.desc()).limit(100))
    return render_template("operator/supervision.html", inspections=list(inspections), orders=list(orders),
                           decisions=list(decisions))


@bp.get("/inspections/<id:id>")
def inspection(id: int):
    record = load_in_scope(Inspection, current_user, id=id)
    return render_template("operator/inspection.html", view=inspection_view(record, current_user),
                           step_form=forms.StepForm(), step_fields=forms.STEP_FIELDS)


@bp.post("/inspections/<id:id>/actions/<action>")
def inspection_action(id: int, action: str):
    record = load_in_scope(Inspection, current_user, id=id)
    return step_and_return("portal.inspection", record, transitions.perform, action)


@bp.get("/orders/<id:id>")
def order(id: int):
    record = load_in_scope(RectificationOrder, current_user, id=id)
    return render_template("operator/order.html", view=order_view(record, current_user), step_form=forms.StepForm(),
                           step_fields=forms.STEP_FIELDS, evidence_form=forms.EvidenceForm(),
                           evidence_endpoint="portal.order_evidence_file")


@bp.post("/orders/<id:id>/actions/<action>")
def order_action(id: int, action: str):
    record = load_in_scope(RectificationOrder, current_user, id=id)
    return step_and_return("portal.order", record, services.perform, action)


@bp.post("/orders/<id:id>/evidence")
def order_evidence(id: int):
    record = load_in_scope(RectificationOrder, current_user, id=id)
    form = forms.EvidenceForm()
    target = url_for("portal.order", id=id)
    if not form.validate_on_submit():
        flash(_("Choose a file to upload."), "error")
        return redirect(target)
    upload = form.file.data
    return act_and_return(target, lambda: services.add_completion_evidence(record, upload.filename, upload.read(),
                                                                           current_user, now_utc()),
                          _("Evidence added."))


@bp.get("/orders/<id:id>/evidence/<id:number>")
def order_evidence_file(id: int, number: int):
    record = load_in_scope(RectificationOrder, current_user, id=id)
    return send_evidence(services.evidence_file(record, number))


@bp.get("/orders/<id:id>/notice.pdf")
def order_notice(id: int):
    record = load_in_scope(RectificationOrder, current_user, id=id)
    return pdf_response(documents.order_notice_pdf(record), f"order-{record.id}.pdf")


@bp.get("/penalties/<id:id>/decision.pdf")
def penalty_document(id: int):
    record = load_in_scope(PenaltyDecision, current_user, id=id)
    if record.number is None:
        from flask import abort

        abort(404)  # a draft is internal to the authority
    return pdf_response(documents.penalty_decision_pdf(record), f"penalty-{record.id}.pdf")
