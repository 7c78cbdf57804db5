"""Officer pages of campaigns (双随机、一公开) and risk scores."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from blueprints.web import inspection_forms as forms
from blueprints.web.officer import bp, form_status, run_service
from blueprints.web.officer_inspections import act_and_return
from supervision.access.scoping import load_in_scope, scoped
from supervision.clock import now_utc, today_local
from supervision.errors import ValidationFailed
from supervision.extensions import db
from supervision.inspections import campaigns as service
from supervision.inspections.models import Campaign
from supervision.inspections.risk import checked_quarter, risk_scores
from supervision.operators.rules import quarter_of


@bp.get("/risk")
def risk():
    quarter = request.args.get("quarter") or quarter_of(today_local())
    try:
        checked_quarter(quarter)
    except ValidationFailed as problem:
        flash(problem.message, "error")
        quarter = quarter_of(today_local())
    return render_template("officer/risk.html", quarter=quarter, scores=risk_scores(current_user, quarter))


@bp.route("/campaigns", methods=["GET", "POST"])
def campaigns():
    form = forms.CampaignForm()
    if request.method == "GET":
        form.period.data = quarter_of(today_local())
    if form.validate_on_submit():
        data = {"period": form.period.data, "type": form.type.data, "operators_to_draw": form.operators_to_draw.data,
                "inspectors_per_inspection": form.inspectors_per_inspection.data}
        outcome, campaign = run_service(form, service.freeze_campaign, current_user, data, now_utc())
        if outcome == "ok":
            flash(_("Frame frozen: its hash and the seed's hash are published."), "success")
            return redirect(url_for("officer.campaign", id=campaign.id))
    listed = db.session.scalars(scoped(select(Campaign), current_user).order_by(Campaign.id.desc()).limit(100))
    return render_template("officer/campaigns.html", form=form, campaigns=list(listed)), \
        form_status() if form.errors else 200


@bp.get("/campaigns/<id:id>")
def campaign(id: int):
    record = load_in_scope(Campaign, current_user, id=id)
    form = forms.ConflictForm()
    form.username.choices = [(u, u) for u in record.frame["inspectors"]]
    form.operator_id.choices = [(o["id"], o["name"]) for o in record.frame["operators"]]
    return render_template("officer/campaign.html", c=service.public_view(record), form=form)


@bp.post("/campaigns/<id:id>/conflicts")
def campaign_conflict(id: int):
    record = load_in_scope(Campaign, current_user, id=id)
    form = forms.ConflictForm()
    form.username.choices = [(u, u) for u in record.frame["inspectors"]]
    form.operator_id.choices = [(o["id"], o["name"]) for o in record.frame["operators"]]
    target = url_for("officer.campaign", id=id)
    if not form.validate_on_submit():
        flash(_("Choose the officer and the operator."), "error")
        return redirect(target)
    data = {"username": form.username.data, "operator_id": form.operator_id.data, "reason": form.reason.data}
    return act_and_return(target, lambda: service.declare_conflict(record, current_user, data, now_utc()),
                          _("Conflict recorded: the officer will not be drawn for that operator."))


@bp.post("/campaigns/<id:id>/draw")
def campaign_draw(id: int):
    record = load_in_scope(Campaign, current_user, id=id)
    if not forms.StepForm().validate_on_submit():
        flash(_("The form has expired or is invalid. Please submit it again."), "error")
        return redirect(url_for("officer.campaign", id=id))
    return act_and_return(url_for("officer.campaign", id=id),
                          lambda: service.draw_campaign(record, current_user, now_utc()),
                          _("Drawn: the seed is revealed and an inspection is planned for each operator drawn."))


@bp.get("/supervision")
def supervision_dashboard():
    """Open inspections, orders by state and due date, overdue items, penalties this year, highest risks."""
    from supervision.inspections.dashboard import dashboard

    return render_template("officer/supervision_dashboard.html", d=dashboard(current_user, today_local()))
