"""Officer pages of spot-check inspections (SPEC §6): the list, planning, and one inspection's
page where the team records the checklist, evidence and seals and moves the result along.

Routes live on the officer blueprint (its log-in and role check apply); each POST goes
load in scope → one service → commit → flash → redirect.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from blueprints.downloads import send_stored
from blueprints.web import inspection_forms as forms
from blueprints.web.inspection_labels import LABELS
from blueprints.web.officer import bp, form_status, paginate, run_service
from supervision.access.models import Role, User
from supervision.access.scoping import load_in_scope, scoped
from supervision.audit import Actor
from supervision.clock import now_utc, today_local
from supervision.errors import DomainError
from supervision.extensions import db
from supervision.inspections import services, transitions
from supervision.inspections.models import STATES, Inspection
from supervision.inspections.views import inspection_view
from supervision.operators.models import Operator


def operator_choices(user) -> list[tuple[int, str]]:
    return [(o.id, o.name) for o in db.session.scalars(scoped(select(Operator), user).order_by(Operator.name))]


def team_choices(user) -> list[tuple[str, str]]:
    stmt = (select(User).where(User.role == Role.OFFICER, User.authority_code == user.authority_code,
                               User.is_active_user.is_(True)).order_by(User.username))
    return [(u.username, f"{u.label} · {u.credential_no or _('no credential')}") for u in db.session.scalars(stmt)]


def act_and_return(target: str, work, success: str):
    """Run one service on a loaded record; a refusal is flashed with its reasons; back to the page."""
    try:
        work()
    except DomainError as error:
        db.session.rollback()
        details = "; ".join(str(m) for messages in error.errors.values() for m in messages)
        flash(f"{error.message}" + (f" ({details})" if details and details != str(error.message) else ""), "error")
        return redirect(target)
    db.session.commit()
    flash(success, "success")
    return redirect(target)


def step_and_return(endpoint: str, record, perform, action: str):
    """A workflow step asked for by a page's StepForm (CSRF-checked), run by the workflow's
    `perform`; back to the record's page (`endpoint`) with the outcome flashed."""
    target = url_for(endpoint, id=record.id)
    form = forms.StepForm()
    if not form.validate_on_submit():
        flash(_("The form has expired or is invalid. Please submit it again."), "error")
        return redirect(target)
    params = form.params(action)
    return act_and_return(target, lambda: perform(record, action, params, Actor.of(current_user), now_utc()),
                          _("Done: %(action)s.", action=LABELS["inspection_action"].get(action, action)))


@bp.route("/inspections", methods=["GET", "POST"])
def inspections():
    form = forms.PlanInspectionForm()
    form.operator_id.choices = operator_choices(current_user)
    form.officers.choices = team_choices(current_user)
    if request.method == "GET" and not form.officers.data:
        form.officers.data = [current_user.username]
    if form.validate_on_submit():
        data = {"operator_id": form.operator_id.data, "type": form.type.data, "officers": form.officers.data,
                "planned_on": form.planned_on.data}
        outcome, inspection = run_service(form, services.plan_inspection, current_user, data, now_utc())
        if outcome == "ok":
            flash(_("Inspection planned."), "success")
            return redirect(url_for("officer.inspection", id=inspection.id))
    status = request.args.get("status")
    stmt = scoped(select(Inspection), current_user)
    if status in STATES:
        stmt = stmt.where(Inspection.status == status)
    page = paginate(stmt.order_by(Inspection.planned_on.desc(), Inspection.id.desc()))
    return render_template("officer/inspections.html", page=page, form=form, status=status,
                           states=STATES), form_status() if form.errors else 200


@bp.get("/inspections/<id:id>")
def inspection(id: int):
    record = load_in_scope(Inspection, current_user, id=id)
    return render_template("officer/inspection.html", inspection=record, view=inspection_view(record, current_user),
                           step_form=forms.StepForm(), item_form=forms.ItemResultForm(), seal_form=forms.SealForm(),
                           unseal_form=forms.UnsealForm(), step_fields=forms.STEP_FIELDS,
                           qualified=transitions.qualified_officers(record), labels=LABELS, today=today_local())


@bp.post("/inspections/<id:id>/actions/<action>")
def inspection_action(id: int, action: str):
    record = load_in_scope(Inspection, current_user, id=id)
    return step_and_return("officer.inspection", record, transitions.perform, action)


@bp.post("/inspections/<id:id>/items/<id:item_id>")
def inspection_item(id: int, item_id: int):
    record = load_in_scope(Inspection, current_user, id=id)
    form = forms.ItemResultForm()
    target = url_for("officer.inspection", id=id) + f"#item-{item_id}"
    if not form.validate_on_submit():
        flash(_("Choose a result for the item."), "error")
        return redirect(target)

    def record_item():
        services.record_item_result(record, item_id, form.result.data, form.note.data, current_user, now_utc())
        upload = form.file.data
        if upload and upload.filename:
            services.add_evidence(record, item_id, upload.filename, upload.read(), current_user, now_utc())

    return act_and_return(target, record_item, _("Checklist item recorded."))


@bp.get("/inspections/<id:id>/evidence/<id:evidence_id>")
def inspection_evidence(id: int, evidence_id: int):
    record = load_in_scope(Inspection, current_user, id=id)
    evidence = next((e for i in record.items for e in i.evidence if e.id == evidence_id), None)
    if evidence is None:
        from flask import abort

        abort(404)
    return send_stored(evidence.storage_key, evidence.content_type, evidence.filename)


@bp.post("/inspections/<id:id>/seals")
def inspection_seal(id: int):
    record = load_in_scope(Inspection, current_user, id=id)
    form = forms.SealForm()
    target = url_for("officer.inspection", id=id) + "#seals"
    if not form.validate_on_submit():
        flash(_("List the records sealed."), "error")
        return redirect(target)
    return act_and_return(target, lambda: services.seal_records(record, form.items.data, current_user, now_utc()),
                          _("Sealed records listed."))


@bp.post("/inspections/<id:id>/seals/<id:seal_id>/unseal")
def inspection_unseal(id: int, seal_id: int):
    record = load_in_scope(Inspection, current_user, id=id)
    form = forms.UnsealForm()
    target = url_for("officer.inspection", id=id) + "#seals"
    if not form.validate_on_submit():
        flash(_("Say why the records are released."), "error")
        return redirect(target)
    return act_and_return(target, lambda: services.unseal_records(record, seal_id, form.note.data, current_user,
                                                                  now_utc()), _("Records released."))
