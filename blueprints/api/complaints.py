"""Complaints API (SPEC §10): intake, tracking, the scoped list, actions, evidence."""
from flask import request, send_file
from flask.views import MethodView
from flask_babel import get_locale
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from blueprints.api.common import (
    BEARER,
    BEARER_OR_ACCESS_CODE,
    DueExplanationOut,
    ErrorSchema,
    PageArgs,
    StoredFileOut,
    action_path,
    api_user,
    commit,
    keyset_page,
    record_id,
    require_user,
)
from blueprints.date_validators import DateInRange
from blueprints.limits import complaint_by_access_code, public_intake_limited
from supervision.access.scoping import load_in_scope
from supervision.audit import COMPLAINANT, Actor
from supervision.clock import now_utc
from supervision.complaints import attachments, intake, queue, transitions, views
from supervision.complaints.models import (
    CATEGORIES,
    CLOCK_STATES,
    OPERATOR_ANSWERS,
    OUTCOMES,
    Complaint,
)

blp = Blueprint("api_complaints", __name__, description="Complaints (申诉) with deadline tracking")
RATE_LIMITED = "Too many requests from this address (access codes, public intake) or this user; see Retry-After"
STATUSES = ("submitted", "accepted", "rejected", "awaiting_info", "transferred", "operator_replied",
            "mediation", "closed", "withdrawn")


class ComplainantIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    phone = fields.String(required=True, validate=validate.Regexp(r"^\+?[0-9][0-9 -]{4,30}$",
                                                                  error="enter a phone number (digits)"))
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=200))
    address = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    id_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))


class ComplaintIn(Schema):
    operator_id = record_id(required=True)
    province = fields.String(required=True, validate=validate.Length(equal=2))
    category = fields.String(required=True, validate=validate.OneOf(tuple(CATEGORIES)))
    subcategory = fields.String(required=True, validate=validate.Length(min=1, max=40))
    description = fields.String(required=True, validate=validate.Length(max=5000))
    request = fields.String(required=True, validate=validate.Length(max=2000))
    operator_complaint_date = fields.Date(required=True, validate=DateInRange())
    operator_answer = fields.String(required=True, validate=validate.OneOf(OPERATOR_ANSWERS))
    event_date = fields.Date(required=True, validate=DateInRange())
    disputed_months = fields.List(fields.String(validate=validate.Length(max=7)), load_default=list,
                                  validate=validate.Length(max=12))
    already_settled = fields.Boolean(load_default=False)
    handled_elsewhere = fields.Boolean(load_default=False)
    complainant = fields.Nested(ComplainantIn, required=True)
    received_at = fields.AwareDateTime(load_default=None, allow_none=True, validate=DateInRange(),
                                       metadata={"description": "officers only: when a letter/call arrived"})


# SPEC §10's example body: what a client sends to file a complaint.
COMPLAINT_EXAMPLE = {
    "operator_id": 3, "province": "44", "category": "billing", "subcategory": "overcharge",
    "description": "Charged 30 yuan for a ringtone service I never ordered.", "request": "refund 30 yuan",
    "operator_complaint_date": "2026-10-02", "operator_answer": "none", "event_date": "2026-09-15",
    "disputed_months": ["2026-09"],
    "complainant": {"name": "王小明", "phone": "13800138000", "email": "wxm@example.com",
                    "address": "广州市天河区体育西路1号"},
}


class DeadlineOut(Schema):
    clock = fields.String(metadata={"description": "acceptance, answer, operator_reply or supervision_report"})
    due = fields.String(metadata={"format": "date"})
    state = fields.String(validate=validate.OneOf(CLOCK_STATES))
    provisional = fields.Boolean()


class ComplaintDeadlineOut(DeadlineOut):
    """A clock with how it was computed (views.deadline_view); a clock paused while the
    complaint awaits information also says where its due date moves if the information comes today."""

    started_on = fields.String(metadata={"format": "date"})
    unit = fields.String()
    length = fields.Integer()
    paused_days = fields.Integer()
    legal_source = fields.String()
    explanation = fields.Nested(DueExplanationOut, allow_none=True)
    explanation_text = fields.String(metadata={"description": "the computation in words"})
    paused_since = fields.String(metadata={"format": "date"})
    due_if_resumed_today = fields.String(metadata={"format": "date"})
    provisional_if_resumed = fields.Boolean()


class TimelineEntryOut(Schema):
    """An event as the caller may see it (views.timeline): system events carry their clock and due date."""

    at = fields.String(metadata={"format": "date-time"})
    action = fields.String()
    by = fields.String(metadata={"description": "the actor (officers see names, others the role)"})
    note = fields.String(allow_none=True)
    clock = fields.String()
    due = fields.String(metadata={"format": "date"})
    due_before = fields.String(metadata={"format": "date"})
    escalation = fields.String()


class ComplainantOut(Schema):
    """The complainant's personal data (masked but the phone for operator staff)."""

    name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    id_number = fields.String(allow_none=True)


class RatingOut(Schema):
    score = fields.Integer(metadata={"minimum": 1, "maximum": 5})
    comment = fields.String(allow_none=True)


class FiledOut(Schema):
    reference = fields.String()
    access_code = fields.String(metadata={"description": "shown once; keep it to track the complaint"})
    status = fields.String()
    deadlines = fields.List(fields.Nested(DeadlineOut))


class AttachmentOut(StoredFileOut):
    id = fields.Integer()


class ComplaintAttachmentOut(AttachmentOut):
    uploaded_by = fields.String(metadata={"description": "the role that added it"})


class ComplaintOut(Schema):
    """The record as the caller may see it (personal data masked for operator staff).

    Every key of `views.complaint_view` is declared: marshmallow dumps declared fields only
    (`unknown` applies to loading). Keys a view leaves out (escalation and authority for the
    complainant) are left out of the answer too.
    """

    reference = fields.String()
    status = fields.String()
    outcome = fields.String(allow_none=True)
    operator_id = fields.Integer()
    operator = fields.String()
    province = fields.String()
    authority = fields.String()
    category = fields.String()
    subcategory = fields.String()
    description = fields.String()
    request = fields.String()
    operator_complaint_date = fields.String(metadata={"format": "date"})
    operator_answer = fields.String()
    event_date = fields.String(metadata={"format": "date"})
    disputed_months = fields.List(fields.String())
    channel = fields.String()
    received_at = fields.String(metadata={"format": "date-time"})
    operator_reply = fields.String(allow_none=True)
    proposed_settlement = fields.String(allow_none=True)
    settlement_response = fields.String(allow_none=True)
    rejection_reason = fields.String(allow_none=True)
    supervised = fields.Boolean()
    escalation = fields.String(allow_none=True)
    transfer_note = fields.String(allow_none=True, metadata={"description": "the officer's note to the operator"})
    rating = fields.Nested(RatingOut, allow_none=True)
    deadlines = fields.List(fields.Nested(ComplaintDeadlineOut))
    timeline = fields.List(fields.Nested(TimelineEntryOut))
    attachments = fields.List(fields.Nested(ComplaintAttachmentOut))
    allowed_actions = fields.List(fields.String())
    complainant = fields.Nested(ComplainantOut)
    personal_data_erased_at = fields.String(allow_none=True, metadata={
        "description": "when the complainant's personal data were erased after the retention period"})


class ComplaintSummary(Schema):
    reference = fields.String()
    status = fields.String()
    operator_id = fields.Integer()
    province = fields.String()
    category = fields.String()
    received_at = fields.DateTime()
    escalation = fields.String(allow_none=True)
    supervised = fields.Boolean()
    next_due = fields.Method("get_next_due", metadata={"type": "string", "format": "date", "nullable": True})

    def get_next_due(self, complaint):
        due = queue.next_due(complaint)
        return due.isoformat() if due else None


class ComplaintPage(Schema):
    items = fields.List(fields.Nested(ComplaintSummary))
    next_cursor = fields.String(allow_none=True)


class ComplaintQuery(PageArgs):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    operator_id = record_id(load_default=None)
    province = fields.String(load_default=None)
    clock_state = fields.String(load_default=None, validate=validate.OneOf(CLOCK_STATES))
    escalation = fields.String(load_default=None, validate=validate.OneOf(("officer", "head")))
    q = fields.String(load_default=None, validate=validate.Length(max=100))


class TrackQuery(Schema):
    access_code = fields.String(load_default=None)


class ActionIn(Schema):
    note = fields.String(validate=validate.Length(max=5000))
    reason = fields.String(validate=validate.Length(max=5000))
    reply = fields.String(validate=validate.Length(max=10000))
    proposed_settlement = fields.String(validate=validate.Length(max=5000))
    report = fields.String(validate=validate.Length(max=10000))
    outcome = fields.String(validate=validate.OneOf(OUTCOMES))
    score = fields.Integer(strict=True, validate=validate.Range(min=1, max=5))  # 3.5 is not a score
    comment = fields.String(validate=validate.Length(max=2000))
    decision = fields.String(validate=validate.OneOf(("accept", "reject")))
    access_code = fields.String(load_only=True, metadata={"description": "complainant actions without a token"})


def _lang() -> str:
    return str(get_locale() or "en")


def caller_and_complaint(reference: str, access_code: str | None):
    """A token sees its scope; without one, the access code opens the complainant's view."""
    user = api_user()
    if user is not None:
        return user, Actor.of(user), load_in_scope(Complaint, user, reference=reference)
    if access_code is None:
        abort(401, message="Send a bearer token, or the access_code you got when filing.")
    return None, COMPLAINANT, complaint_by_access_code(reference, access_code)


@blp.route("/complaints")
class Complaints(MethodView):
    decorators = [public_intake_limited]
    @blp.arguments(ComplaintIn, example=COMPLAINT_EXAMPLE)
    @blp.response(201, FiledOut)
    @blp.alt_response(429, schema=ErrorSchema, description=RATE_LIMITED)
    @blp.alt_response(422, schema=ErrorSchema, description="A precondition or time limit is not met ([C 10], [C 11])")
    @blp.doc(operationId="file_complaint")
    def post(self, data):
        """File a complaint (public), or record one received by letter or phone (officer, `received_at`).

        A token that is not an officer's files as the public does: under the public's limit,
        channel `api`, no `received_at` (403)."""
        filer = intake.intake_filer(api_user())
        channel = "letter" if data.get("received_at") else ("api" if filer is None else "phone")
        complaint, access_code = intake.file_complaint(data, filer, now_utc(), channel)
        # Built before the commit, from what the request holds: after it, every attribute
        # would be read back from the database (two more queries and a transaction).
        filed = {"reference": complaint.reference, "access_code": access_code, "status": complaint.status,
                 "deadlines": [views.deadline_view(d, with_explanation=False) for d in complaint.deadlines
                               if d.running]}
        commit()
        return filed

    @blp.arguments(ComplaintQuery, location="query")
    @blp.response(200, ComplaintPage)
    @blp.doc(operationId="list_complaints", security=BEARER)
    def get(self, args):
        """The caller's complaints (scoped), newest first."""
        user = require_user()
        filters = queue.QueueFilters(**{k: args[k] for k in ("status", "operator_id", "province", "clock_state",
                                                             "escalation", "q")})
        # The summaries show each complaint's next due date: its clocks come in one statement.
        stmt = queue.queue_query(user, filters).options(*queue.queue_row_loading())
        page = keyset_page(stmt, Complaint.id, args["cursor"], args["limit"])
        queue.record_search_reads(user, page["items"], filters.q, now_utc())
        return page


@blp.route("/complaints/<reference>")
class ComplaintItem(MethodView):
    @blp.arguments(TrackQuery, location="query")
    @blp.response(200, ComplaintOut)
    @blp.alt_response(429, schema=ErrorSchema, description=RATE_LIMITED)
    @blp.doc(operationId="get_complaint")
    def get(self, args, reference):
        """One complaint: the full record with a token (if in scope), the complainant's view with the code."""
        user, _, complaint = caller_and_complaint(reference, args["access_code"])
        return views.complaint_view(complaint, user, _lang())


@blp.route("/complaints/<reference>/actions/<action>", parameters=action_path(transitions.COMPLAINT_WORKFLOW))
class ComplaintAction(MethodView):
    @blp.arguments(ActionIn, example={"note": "Accepted: within the authority's remit."})
    @blp.response(200, ComplaintOut)
    @blp.alt_response(429, schema=ErrorSchema, description=RATE_LIMITED)
    @blp.alt_response(409, schema=ErrorSchema, description="Not allowed in the current state")
    @blp.doc(operationId="perform_complaint_action", security=BEARER_OR_ACCESS_CODE)
    def post(self, params, reference, action):
        """Perform an action: accept, reject, request_info, provide_info, transfer, operator_reply,
        supervise, supervision_report, mediate, close, withdraw, rate, respond_settlement."""
        if action not in transitions.ACTIONS:
            abort(404, message=f"Unknown action {action!r}; actions: {', '.join(transitions.ACTIONS)}.")
        user, actor, complaint = caller_and_complaint(reference, params.pop("access_code", None))
        transitions.perform(complaint, action, params, actor, now_utc())
        commit()
        return views.complaint_view(complaint, user, _lang())


@blp.route("/complaints/<reference>/attachments")
class ComplaintAttachments(MethodView):
    @blp.response(201, AttachmentOut)
    @blp.alt_response(429, schema=ErrorSchema, description=RATE_LIMITED)
    @blp.doc(security=BEARER_OR_ACCESS_CODE, requestBody={"content": {"multipart/form-data": {"schema": {
        "type": "object", "properties": {"file": {"type": "string", "format": "binary"},
                                         "access_code": {"type": "string"}}}}}})
    @blp.doc(operationId="add_complaint_attachment")
    def post(self, reference):
        """Add evidence (PDF, JPEG or PNG) to a complaint."""
        _, actor, complaint = caller_and_complaint(reference, request.form.get("access_code"))
        upload = request.files.get("file")
        if upload is None:
            abort(422, message="Attach a file in the 'file' field.", errors={"file": ["required"]})
        stored = attachments.store_attachment(complaint, upload.filename, upload.read(), actor, now_utc())
        commit()
        return stored


@blp.route("/complaints/<reference>/attachments/<id:attachment_id>")
class ComplaintAttachmentFile(MethodView):
    @blp.arguments(TrackQuery, location="query")
    @blp.response(200, description="The file as stored")
    @blp.alt_response(429, schema=ErrorSchema, description=RATE_LIMITED)
    @blp.doc(operationId="download_complaint_attachment", security=BEARER_OR_ACCESS_CODE)
    def get(self, args, reference, attachment_id):
        """Download evidence of a complaint the caller may see."""
        user, _, complaint = caller_and_complaint(reference, args["access_code"])
        attachment = attachments.attachment_to_read(complaint, attachment_id, user, now_utc())
        if attachment is None:
            abort(404, message="No such attachment on this complaint.")
        return send_file(attachments.attachment_path(attachment), mimetype=attachment.content_type,
                         as_attachment=True, download_name=attachment.filename)

