"""Spot-check inspections API (SPEC §10): plan, act, record checklist items, evidence, seals."""
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from blueprints.api.common import (
    BEARER,
    AuditEventOut,
    ErrorSchema,
    PageArgs,
    StoredFileOut,
    WorkflowDeadlineOut,
    action_path,
    commit,
    keyset_page,
    record_id,
    require_user,
)
from blueprints.downloads import send_stored
from supervision.access.scoping import load_in_scope, scoped
from supervision.audit import Actor
from supervision.clock import now_utc
from supervision.inspections import services, transitions
from supervision.inspections.models import ITEM_RESULTS, STATES, TYPES, Inspection
from supervision.inspections.views import inspection_view

blp = Blueprint("api_inspections", __name__, description="Spot-check inspections (抽查) [M 7, M 8]")


class InspectionIn(Schema):
    operator_id = record_id(required=True)
    type = fields.String(required=True, validate=validate.OneOf(TYPES))
    officers = fields.List(fields.String(validate=validate.Length(min=1, max=80)), required=True,
                           validate=validate.Length(max=20),
                           metadata={"description": "usernames of the team: officers of your authority [M 7]"})
    planned_on = fields.Date(required=True)


class CreatedOut(Schema):
    id = fields.Integer()
    status = fields.String()


class EvidenceOut(StoredFileOut):
    id = fields.Integer()


class ItemOut(Schema):
    id = fields.Integer()
    code = fields.String()
    text = fields.String()
    article = fields.String()
    result = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    finding_id = fields.Integer(allow_none=True)
    evidence = fields.List(fields.Nested(EvidenceOut))


class SealOut(Schema):
    id = fields.Integer()
    items = fields.String()
    sealed_at = fields.String()
    officers = fields.List(fields.String())
    unsealed_at = fields.String(allow_none=True)
    unseal_note = fields.String(allow_none=True)


class OfficerOut(Schema):
    username = fields.String()
    name = fields.String()
    credential_no = fields.String(allow_none=True)


class VersionOut(Schema):
    version = fields.Integer()
    published_at = fields.String()
    summary = fields.String()
    operator_reply = fields.String(allow_none=True)
    correction_note = fields.String(allow_none=True)


class InspectionOut(Schema):
    id = fields.Integer()
    operator_id = fields.Integer()
    operator = fields.String()
    authority = fields.String()
    province = fields.String(allow_none=True)
    type = fields.String()
    planned_on = fields.String()
    status = fields.String(validate=validate.OneOf(STATES))
    officers = fields.List(fields.Nested(OfficerOut))
    items = fields.List(fields.Nested(ItemOut))
    seals = fields.List(fields.Nested(SealOut))
    result_summary = fields.String(allow_none=True)
    operator_reply = fields.String(allow_none=True)
    versions = fields.List(fields.Nested(VersionOut))
    deadlines = fields.List(fields.Nested(WorkflowDeadlineOut))
    allowed_actions = fields.List(fields.String())
    timeline = fields.List(fields.Nested(AuditEventOut))


class InspectionSummary(Schema):
    id = fields.Integer()
    operator_id = fields.Integer()
    type = fields.String()
    status = fields.String()
    planned_on = fields.Date()
    authority_code = fields.String()


class InspectionPage(Schema):
    items = fields.List(fields.Nested(InspectionSummary))
    next_cursor = fields.String(allow_none=True)


class InspectionQuery(PageArgs):
    status = fields.String(load_default=None, validate=validate.OneOf(STATES))
    operator_id = record_id(load_default=None)


class InspectionActionIn(Schema):
    note = fields.String(validate=validate.Length(max=5000))
    summary = fields.String(validate=validate.Length(max=20000))
    reply = fields.String(validate=validate.Length(max=20000))


class ItemIn(Schema):
    result = fields.String(required=True, validate=validate.OneOf(ITEM_RESULTS))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class TeamIn(Schema):
    officers = fields.List(fields.String(validate=validate.Length(min=1, max=80)), required=True,
                           validate=validate.Length(max=20))


class SealIn(Schema):
    items = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class UnsealIn(Schema):
    note = fields.String(required=True, validate=validate.Length(min=1, max=5000))


def _load(inspection_id: int):
    user = require_user()
    return user, load_in_scope(Inspection, user, id=inspection_id)


@blp.route("/inspections")
class Inspections(MethodView):
    @blp.arguments(InspectionIn, example={"operator_id": 3, "type": "onsite", "officers": ["officer32", "officer33"], "planned_on": "2026-12-10"})
    @blp.response(201, CreatedOut)
    @blp.alt_response(422, schema=ErrorSchema, description="Operator outside your jurisdiction or a team member "
                                                            "who is not an officer of your authority")
    @blp.doc(operationId="plan_inspection", security=BEARER)
    def post(self, data):
        """Plan an inspection (officer): the operator, its type, the team and the planned day."""
        inspection = services.plan_inspection(require_user(), data, now_utc())
        commit()
        return {"id": inspection.id, "status": inspection.status}

    @blp.arguments(InspectionQuery, location="query")
    @blp.response(200, InspectionPage)
    @blp.doc(operationId="list_inspections", security=BEARER)
    def get(self, args):
        """The inspections the caller may see, newest first."""
        stmt = scoped(select(Inspection), require_user())
        for name in ("status", "operator_id"):
            if args[name] is not None:
                stmt = stmt.where(getattr(Inspection, name) == args[name])
        return keyset_page(stmt, Inspection.id, args["cursor"], args["limit"])


@blp.route("/inspections/<id:inspection_id>")
class InspectionItem(MethodView):
    @blp.response(200, InspectionOut)
    @blp.doc(operationId="get_inspection", security=BEARER)
    def get(self, inspection_id):
        """One inspection in scope."""
        user, inspection = _load(inspection_id)
        return inspection_view(inspection, user)


@blp.route("/inspections/<id:inspection_id>/actions/<action>", parameters=action_path(transitions.INSPECTION_WORKFLOW))
class InspectionAction(MethodView):
    @blp.arguments(InspectionActionIn, example={"note": "Started at the Nanjing office."})
    @blp.response(200, InspectionOut)
    @blp.alt_response(409, schema=ErrorSchema, description="Not allowed in the current state")
    @blp.doc(operationId="perform_inspection_action", security=BEARER)
    def post(self, params, inspection_id, action):
        """start (422 unless ≥ 2 credentialed officers of the authority [M 7]), issue_draft (`summary`),
        reply (operator, `reply`), finalise, publish (publisher), correct (`summary`, `note`), cancel (`note`)."""
        if action not in transitions.ACTIONS:
            abort(404, message=f"Unknown action {action!r}; actions: {', '.join(transitions.ACTIONS)}.")
        user, inspection = _load(inspection_id)
        transitions.perform(inspection, action, params, Actor.of(user), now_utc())
        commit()
        return inspection_view(inspection, user)


@blp.route("/inspections/<id:inspection_id>/team")
class InspectionTeam(MethodView):
    @blp.arguments(TeamIn, example={"officers": ["officer32", "officer33"]})
    @blp.response(200, InspectionOut)
    @blp.doc(operationId="replace_inspection_team", security=BEARER)
    def put(self, data, inspection_id):
        """Replace the team before the inspection starts."""
        user, inspection = _load(inspection_id)
        services.require_officer(user)
        services.set_team(inspection, user, data["officers"], now_utc())
        commit()
        return inspection_view(inspection, user)


@blp.route("/inspections/<id:inspection_id>/items/<id:item_id>")
class InspectionChecklistItem(MethodView):
    @blp.arguments(ItemIn, example={"result": "fail", "note": "No complaint log kept for October."})
    @blp.response(200, ItemOut)
    @blp.doc(operationId="record_inspection_item", security=BEARER)
    def put(self, data, inspection_id, item_id):
        """Record an item's result (pass / fail / na) and note; a failure raises a finding."""
        user, inspection = _load(inspection_id)
        item = services.record_item_result(inspection, item_id, data["result"], data["note"], user, now_utc())
        commit()
        return item


@blp.route("/inspections/<id:inspection_id>/items/<id:item_id>/evidence")
class InspectionEvidenceUpload(MethodView):
    @blp.response(201, EvidenceOut)
    @blp.doc(security=BEARER, requestBody={"content": {"multipart/form-data": {"schema": {
        "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}})
    @blp.doc(operationId="add_inspection_evidence")
    def post(self, inspection_id, item_id):
        """Add evidence (PDF, JPEG or PNG) to a checklist item."""
        user, inspection = _load(inspection_id)
        upload = request.files.get("file")
        if upload is None:
            abort(422, message="Attach a file in the 'file' field.", errors={"file": ["required"]})
        evidence = services.add_evidence(inspection, item_id, upload.filename, upload.read(), user, now_utc())
        commit()
        return evidence


@blp.route("/inspections/<id:inspection_id>/evidence/<id:evidence_id>")
class InspectionEvidenceFile(MethodView):
    @blp.response(200, description="The file as stored")
    @blp.doc(operationId="download_inspection_evidence", security=BEARER)
    def get(self, inspection_id, evidence_id):
        """Download a piece of evidence (officers in scope)."""
        user, inspection = _load(inspection_id)
        services.require_officer(user)
        evidence = next((e for i in inspection.items for e in i.evidence if e.id == evidence_id), None)
        if evidence is None:
            abort(404, message="No such evidence on this inspection.")
        return send_stored(evidence.storage_key, evidence.content_type, evidence.filename)


@blp.route("/inspections/<id:inspection_id>/seals")
class InspectionSeals(MethodView):
    @blp.arguments(SealIn, example={"items": "Complaint register 2026, two binders"})
    @blp.response(201, SealOut)
    @blp.doc(operationId="seal_inspection_records", security=BEARER)
    def post(self, data, inspection_id):
        """Record sealed records (封存): the items; the time and the officers present are recorded."""
        user, inspection = _load(inspection_id)
        seal = services.seal_records(inspection, data["items"], user, now_utc())
        commit()
        return {"id": seal.id, "items": seal.items, "sealed_at": seal.sealed_at.isoformat(),
                "officers": seal.officers, "unsealed_at": None, "unseal_note": None}


@blp.route("/inspections/<id:inspection_id>/seals/<id:seal_id>/unseal")
class InspectionUnseal(MethodView):
    @blp.arguments(UnsealIn, example={"note": "Released after copies were certified."})
    @blp.response(200, SealOut)
    @blp.doc(operationId="unseal_inspection_records", security=BEARER)
    def post(self, data, inspection_id, seal_id):
        """Release sealed records (an event on the inspection's chain)."""
        user, inspection = _load(inspection_id)
        seal = services.unseal_records(inspection, seal_id, data["note"], user, now_utc())
        commit()
        return {"id": seal.id, "items": seal.items, "sealed_at": seal.sealed_at.isoformat(),
                "officers": seal.officers, "unsealed_at": seal.unsealed_at.isoformat(),
                "unseal_note": seal.unseal_note}
