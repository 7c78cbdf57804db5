"""WTForms of the officer pages, the operator portal and the admin calendar, and the glue
between a form and a service: form → service values, and a service's field errors → form."""
from datetime import UTC

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from sqlalchemy import select
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    Label,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from blueprints.web.forms import ComplaintForm, province_choices
from blueprints.web.templating import LABELS
from supervision.access.scoping import officer_sees_all, scoped
from supervision.clock import local_tz
from supervision.complaints.models import OUTCOMES
from supervision.errors import ValidationFailed
from supervision.extensions import db
from supervision.operators.models import CHANNEL_KINDS, Operator

# --- labels shown for stored codes ------------------------------------------------------------

LICENCE_TYPE_LABELS = {"basic": _("Basic telecommunications"), "value_added": _("Value-added telecommunications")}
SCOPE_LABELS = {"national": _("National (cross-regional)"), "provincial": _("Provincial")}
OPERATOR_STATUS_LABELS = {"active": _("Active"), "not_yet_valid": _("Not yet valid"), "expired": _("Expired"),
                          "suspended": _("Suspended"), "revoked": _("Revoked")}
SANCTION_LABELS = {"suspended": _("Suspended"), "revoked": _("Revoked")}
# Staff wording of the statuses (LABELS["status"] speaks to the complainant: "waiting for your…").
COMPLAINT_STATUS_LABELS = {
    "submitted": _("Submitted"), "accepted": _("Accepted"), "rejected": _("Rejected"),
    "awaiting_info": _("Awaiting information"), "transferred": _("Transferred to operator"),
    "operator_replied": _("Operator replied"), "mediation": _("Mediation"), "closed": _("Closed"),
    "withdrawn": _("Withdrawn"),
}
ESCALATION_LABELS = {"officer": _("Escalated to officers"), "head": _("Escalated to the head")}
OUTCOME_LABELS = {code: label for code, label in LABELS["outcome"].items() if code in OUTCOMES}
ACTION_LABELS = {
    "accept": _("Accept"), "reject": _("Reject"), "request_info": _("Request information"),
    "provide_info": _("Information received"), "transfer": _("Transfer to the operator"),
    "supervise": _("Supervise (督办)"), "mediate": _("Start mediation"), "close": _("Close"),
    "withdraw": _("Withdraw on the complainant's behalf"), "operator_reply": _("Send the reply"),
    "supervision_report": _("File the supervision report"),
}
# The timeline names roles to operator staff (LABELS["role"] calls the complainant "You").
ROLE_LABELS = {"complainant": _("Complainant"), "officer": _("Authority"), "operator": _("Operator"),
               "system": _("System"), "admin": _("Administrator")}
CHANNEL_LABELS = {"web": _("Web form"), "api": _("API"), "letter": _("Letter"), "phone": _("Phone"),
                  "visit": _("Visit")}
INTAKE_CHANNELS = {code: CHANNEL_LABELS[code] for code in ("letter", "phone")}
OPERATOR_EVENT_LABELS = {"register": _("Registered"), "edit": _("Edited"), "subscribers": _("Subscriber count"),
                         "status_derived": _("Status updated from the licence dates")}
DAY_KIND_LABELS = {"workday": _("Workday"), "weekend": _("Weekend"), "holiday": _("Public holiday"),
                   "makeup_workday": _("Make-up workday"), "override_holiday": _("Override: day off"),
                   "override_workday": _("Override: working day")}


def choices(labels: dict, blank=None) -> list[tuple[str, object]]:
    items = list(labels.items())
    return [("", blank), *items] if blank is not None else items


# --- operators ----------------------------------------------------------------------------------

class OperatorFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_("Name or licence number"), validators=[Optional(), Length(max=100)])
    status = SelectField(_("Status"), choices=choices(OPERATOR_STATUS_LABELS, _("Any status")),
                         validators=[Optional()])


class OperatorForm(FlaskForm):
    name = StringField(_("Name"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_("English name"), validators=[Optional(), Length(max=200)])
    uscc = StringField(_("Unified social credit code"), validators=[DataRequired(), Length(max=18)],
                       description=_("18 characters (GB 32100-2015), e.g. 91320100MA1XXXXXXX"))
    licence_no = StringField(_("Licence number"), validators=[DataRequired(), Length(max=60)])
    licence_type = SelectField(_("Licence type"), choices=choices(LICENCE_TYPE_LABELS))
    scope = RadioField(_("Scope"), choices=choices(SCOPE_LABELS), default="provincial")
    province = SelectField(_("Province"), choices=[], validators=[Optional()],
                           description=_("Provincial operators only; leave empty for national ones."))
    licence_valid_from = DateField(_("Licence valid from"), validators=[InputRequired()])
    licence_valid_until = DateField(_("Licence valid until"), validators=[InputRequired()])
    hotlines = TextAreaField(
        _("Complaint hotlines and channels"), validators=[Length(max=2000)],
        description=_("One per line: number [label], e.g. “10086 Customer service”. Other channels "
                      "start with their kind: “web:https://…”, “app:…”, “wechat:…”, “email:…”."))

    def set_province_choices(self, lang: str) -> None:
        self.province.choices = [("", _("— none (national operator) —")), *province_choices(lang)]


class OperatorEditForm(OperatorForm):
    sanction = SelectField(_("Sanction"), choices=choices(SANCTION_LABELS, _("None")), validators=[Optional()])


def parse_hotlines(text: str) -> list[dict]:
    """ "10086 Customer service" → phone 10086 labelled; "web:https://…" → a web channel."""
    hotlines = []
    for line in (text or "").splitlines():
        number, _sep, label = line.strip().partition(" ")
        if not number:
            continue
        kind, colon, rest = number.partition(":")
        if colon and kind in CHANNEL_KINDS and rest:
            hotline = {"kind": kind, "number": rest}
        else:
            hotline = {"kind": "phone", "number": number}
        hotlines.append(hotline | {"label": label.strip() or None})
    return hotlines


def hotlines_text(operator: Operator) -> str:
    lines = []
    for h in operator.hotlines:
        number = h.number if h.kind == "phone" else f"{h.kind}:{h.number}"
        lines.append(f"{number} {h.label}" if h.label else number)
    return "\n".join(lines)


def operator_values(form: OperatorForm) -> dict:
    national = form.scope.data == "national"
    values = {
        "name": form.name.data.strip(), "name_en": (form.name_en.data or "").strip() or None,
        "uscc": form.uscc.data.strip().upper(), "licence_no": form.licence_no.data.strip(),
        "licence_type": form.licence_type.data, "scope": form.scope.data,
        # A national operator has no province: ignore a leftover choice instead of refusing.
        "province": None if national else (form.province.data or None),
        "licence_valid_from": form.licence_valid_from.data, "licence_valid_until": form.licence_valid_until.data,
        "hotlines": parse_hotlines(form.hotlines.data),
    }
    if isinstance(form, OperatorEditForm):
        values["sanction"] = form.sanction.data or None
    return values


def fill_operator_form(form: OperatorForm, operator: Operator) -> None:
    for name in ("name", "name_en", "uscc", "licence_no", "licence_type", "scope",
                 "licence_valid_from", "licence_valid_until"):
        getattr(form, name).data = getattr(operator, name)
    form.province.data = operator.province or ""
    form.hotlines.data = hotlines_text(operator)
    if isinstance(form, OperatorEditForm):
        form.sanction.data = operator.sanction or ""


class SubscriberCountForm(FlaskForm):
    province = SelectField(_("Province"), choices=[])
    quarter = StringField(_("Quarter"), validators=[DataRequired(), Regexp(r"^\d{4}Q[1-4]$",
                                                                           message=_("Use YYYYQn, e.g. 2026Q3"))])
    subscribers = IntegerField(_("Subscribers"), validators=[InputRequired(), NumberRange(min=0)])


# --- complaints -------------------------------------------------------------------------------

class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(_("Status"), choices=choices(COMPLAINT_STATUS_LABELS, _("Any status")),
                         validators=[Optional()])
    operator_id = SelectField(_("Operator"), choices=[], validators=[Optional()])
    clock_state = SelectField(_("Clock"), choices=choices(LABELS["state"], _("Any clock state")),
                              validators=[Optional()])
    escalation = SelectField(_("Escalation"), choices=choices(ESCALATION_LABELS, _("Any")), validators=[Optional()])
    q = StringField(_("Search"), validators=[Optional(), Length(max=100)],
                    description=_("Reference, description or request contains"))


def optional_note() -> TextAreaField:
    # A new field each time: WTForms orders fields by when they were created.
    return TextAreaField(_("Note (optional)"), validators=[Optional(), Length(max=5000)])


class NoteForm(FlaskForm):
    note = optional_note()


class RequiredNoteForm(FlaskForm):
    note = TextAreaField(_("What information is needed"), validators=[DataRequired(), Length(max=5000)])


class RejectForm(FlaskForm):
    reason = TextAreaField(_("Reason for rejection"), validators=[DataRequired(), Length(max=5000)],
                           description=_("Shown to the complainant; cite the rule ([C 11], [C 10]…)."))
    note = optional_note()


class CloseForm(FlaskForm):
    outcome = SelectField(_("Outcome"), choices=choices(OUTCOME_LABELS))
    note = optional_note()


class ReplyForm(FlaskForm):
    reply = TextAreaField(_("Reply"), validators=[DataRequired(), Length(max=10000)])
    proposed_settlement = TextAreaField(_("Proposed settlement (optional)"),
                                        validators=[Optional(), Length(max=5000)])
    evidence = MultipleFileField(_("Evidence files (optional)"), description=_("PDF, JPEG or PNG"))


class ReportForm(FlaskForm):
    report = TextAreaField(_("Supervision report"), validators=[DataRequired(), Length(max=10000)])


ACTION_FORMS = {"reject": RejectForm, "request_info": RequiredNoteForm, "close": CloseForm,
                "operator_reply": ReplyForm, "supervision_report": ReportForm}
ACTION_PARAMS = ("note", "reason", "outcome", "reply", "proposed_settlement", "report")


def action_form(action: str, **kwargs) -> FlaskForm:
    """The form of one action; the prefix keeps field ids unique when several are on a page."""
    return ACTION_FORMS.get(action, NoteForm)(prefix=action, **kwargs)


def action_params(form: FlaskForm) -> dict:
    return {name: form[name].data.strip() for name in ACTION_PARAMS
            if name in form and isinstance(form[name].data, str) and form[name].data.strip()}


class OfficerIntakeForm(ComplaintForm):
    """The public form plus when the letter or call arrived and by which channel (SPEC §3)."""

    received_at = DateTimeLocalField(_("Received at (Beijing time)"), format="%Y-%m-%dT%H:%M",
                                     validators=[InputRequired()],
                                     description=_("When the letter or call reached the authority; "
                                                   "the deadlines run from this moment."))
    channel = RadioField(_("Received by"), choices=choices(INTAKE_CHANNELS), default="letter")

    # The public form speaks to the complainant ("your name"); here an officer types for them.
    STAFF_LABELS = {
        "name": _("Complainant's name"), "phone": _("Complainant's phone number"),
        "email": _("Complainant's email (optional)"), "address": _("Complainant's postal address (optional)"),
        "operator_complaint_date": _("Date the complainant complained to the operator"),
        "request": _("What the complainant asks for"),
    }
    STAFF_ANSWERS = [("none", _("The operator has not answered")),
                     ("dissatisfied", _("The operator answered; the complainant is not satisfied"))]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, text in self.STAFF_LABELS.items():
            self[name].label = Label(self[name].id, text)
        self.operator_answer.choices = self.STAFF_ANSWERS

    def fill_officer_choices(self, user, lang: str) -> None:
        """Operators the officer supervises (active ones: intake refuses the others) and, for a
        provincial officer, only their own province (intake refuses the others)."""
        self.fill_choices(lang)
        active = scoped(select(Operator), user).where(Operator.status == "active").order_by(Operator.name)
        self.operator_id.choices = [("", _("Choose an operator"))] + [
            (str(o.id), o.display_name(lang)) for o in db.session.scalars(active)]
        if not officer_sees_all(user):
            own = [(code, name) for code, name in province_choices(lang) if code == user.authority_code]
            self.province.choices = [("", _("Choose a province")), *own]
            if self.province.data is None:
                self.province.data = user.authority_code

    def to_intake_data(self) -> dict:
        naive = self.received_at.data
        # The datetime-local input is a wall-clock time in Asia/Shanghai (SPEC §3).
        return super().to_intake_data() | {"received_at": naive.replace(tzinfo=local_tz()).astimezone(UTC)}


# --- admin calendar ----------------------------------------------------------------------------

class OverrideForm(FlaskForm):
    day = DateField(_("Day"), validators=[InputRequired()])
    is_working_day = RadioField(_("On this day"), choices=[("yes", _("Working day")), ("no", _("Day off"))],
                                default="no")
    note = StringField(_("Note and source"), validators=[DataRequired(), Length(max=300)],
                       description=_("e.g. the State Council notice that changed the schedule"))


class DeleteForm(FlaskForm):
    """A button that only carries the CSRF token."""


# --- errors from the domain ----------------------------------------------------------------------

def show_domain_errors(form: FlaskForm, error: ValidationFailed, aliases: dict | None = None) -> None:
    """Put each `errors` entry next to its field ("hotlines.2" → hotlines); the rest on top."""
    aliases = aliases or {}
    for key, messages in (error.errors or {}).items():
        name, prefix = aliases.get(key), ""
        if name is None:
            name, _dot, index = key.partition(".")
            name = aliases.get(name, name)
            prefix = f"{_('line')} {int(index) + 1}: " if index.isdigit() else ""
        target = form._fields.get(name)
        if target is not None:
            target.errors = [*target.errors, *(prefix + m for m in messages)]
        else:
            form.form_errors.extend(prefix + m for m in messages)
    if not error.errors:
        form.form_errors.append(error.message)


def label_context() -> dict:
    """The label maps every page of these blueprints may use."""
    return {"LICENCE_TYPE_LABELS": LICENCE_TYPE_LABELS, "SCOPE_LABELS": SCOPE_LABELS,
            "OPERATOR_STATUS_LABELS": OPERATOR_STATUS_LABELS, "SANCTION_LABELS": SANCTION_LABELS,
            "COMPLAINT_STATUS_LABELS": COMPLAINT_STATUS_LABELS, "ESCALATION_LABELS": ESCALATION_LABELS,
            "OUTCOME_LABELS": OUTCOME_LABELS, "ACTION_LABELS": ACTION_LABELS, "DAY_KIND_LABELS": DAY_KIND_LABELS,
            "ROLE_LABELS": ROLE_LABELS, "CHANNEL_LABELS": CHANNEL_LABELS, "OPERATOR_EVENT_LABELS": OPERATOR_EVENT_LABELS}
