"""WTForms of the officer pages, the operator portal and the admin calendar, and the glue
between a form and a service: form → service values, and a service's field errors → form."""
from datetime import UTC

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    Label,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from blueprints.date_validators import FormDateInRange
from blueprints.web.forms import ComplaintForm, as_choices, province_choices
from blueprints.web.labels import LABELS
from supervision.access.scoping import officer_sees_all, scoped
from supervision.clock import local_tz, today_local
from supervision.complaints.models import OUTCOMES
from supervision.errors import ValidationFailed
from supervision.extensions import db
from supervision.operators.models import CHANNEL_KINDS, Operator

OUTCOME_LABELS = {code: label for code, label in LABELS["outcome"].items() if code in OUTCOMES}
INTAKE_CHANNELS = ("letter", "phone")


def choices(labels: dict, blank=None) -> list[SelectChoice]:
    return as_choices(labels.items(), blank)


# --- operators ----------------------------------------------------------------------------------

class OperatorFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or licence number"), validators=[Optional(), Length(max=100)])
    status = SelectField(_l("Status"), choices=choices(LABELS["operator_status"], _l("Any status")),
                         validators=[Optional()])


class OperatorForm(FlaskForm):
    name = StringField(_l("Operator name"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=200)])
    uscc = StringField(_l("Unified social credit code"), validators=[DataRequired(), Length(max=18)],
                       description=_l("18 characters (GB 32100-2015), e.g. 91320100MA1XXXXXXX"),
                       render_kw={"class": "mono"})
    licence_no = StringField(_l("Licence number"), validators=[DataRequired(), Length(max=60)])
    licence_type = SelectField(_l("Licence type"), choices=choices(LABELS["licence_type"]))
    scope = RadioField(_l("Scope"), choices=choices(LABELS["scope"]), default="provincial")
    province = SelectField(_l("Province"), choices=[], validators=[Optional()],
                           description=_l("Provincial operators only; leave empty for national ones."))
    licence_valid_from = DateField(_l("Licence valid from"), validators=[InputRequired(), FormDateInRange()])
    licence_valid_until = DateField(_l("Licence valid until"), validators=[InputRequired(), FormDateInRange()])
    hotlines = TextAreaField(
        _l("Complaint hotlines and channels"), validators=[Length(max=2000)],
        description=_l("One per line: number [label], e.g. “10086 Customer service”. Other channels "
                       "start with their kind: “web:https://…”, “app:…”, “wechat:…”, “email:…”."))

    def set_province_choices(self, lang: str) -> None:
        self.province.choices = as_choices(province_choices(lang), _l("— none (national operator) —"))


class OperatorEditForm(OperatorForm):
    sanction = SelectField(_l("Sanction"), choices=choices(LABELS["sanction"], _l("None")), validators=[Optional()])


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
    province = SelectField(_l("Province"), choices=[])
    quarter = StringField(_l("Quarter"), validators=[DataRequired(), Regexp(r"^\d{4}Q[1-4]$",
                                                                           message=_l("Use YYYYQn, e.g. 2026Q3"))])
    subscribers = IntegerField(_l("Subscribers"), validators=[InputRequired(), NumberRange(min=0)])


# --- complaints -------------------------------------------------------------------------------

class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=choices(LABELS["staff_status"], _l("Any status")),
                         validators=[Optional()])
    operator_id = SelectField(_l("Operator"), choices=[], validators=[Optional()])
    clock_state = SelectField(_l("Clock"), choices=choices(LABELS["state"], _l("Any clock state")),
                              validators=[Optional()])
    escalation = SelectField(_l("Escalation"), choices=choices(LABELS["escalation"], _l("Any")), validators=[Optional()])
    supervised = SelectField(_l("Supervised (督办)"), validators=[Optional()],
                             choices=[SelectChoice("", _l("Any")), SelectChoice("yes", _l("Supervised only")),
                                      SelectChoice("no", _l("Not supervised"))])
    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)],
                    description=_l("Reference, complainant's name or phone, description or request"))


def optional_note() -> TextAreaField:
    # A new field each time: WTForms orders fields by when they were created.
    return TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=5000)])


class NoteForm(FlaskForm):
    note = optional_note()


class RequiredNoteForm(FlaskForm):
    note = TextAreaField(_l("What information is needed"), validators=[DataRequired(), Length(max=5000)])


def confirmation(text) -> BooleanField:
    """The second step of an action that cannot be undone: no one-click reject, close or withdraw."""
    return BooleanField(text, validators=[InputRequired(_l("Tick the box to confirm: this cannot be undone."))])


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Reason for rejection"), validators=[DataRequired(), Length(max=5000)],
                           description=_l("Shown to the complainant; cite the rule ([C 11], [C 10]…)."))
    note = optional_note()
    confirm = confirmation(_l("I confirm: the complaint is not accepted and its handling ends."))


class CloseForm(FlaskForm):
    # No outcome is pre-set: the officer must say how the complaint ended.
    outcome = SelectField(_l("Outcome"), choices=choices(OUTCOME_LABELS, _l("Choose the outcome")),
                          validators=[InputRequired(_l("Choose the outcome."))])
    note = optional_note()
    confirm = confirmation(_l("I confirm: the complaint is closed and its clocks stop."))


class WithdrawForm(FlaskForm):
    note = TextAreaField(_l("How the complainant asked to withdraw (optional)"),
                         validators=[Optional(), Length(max=5000)],
                         description=_l("e.g. “phone call of 3 December, problem solved”"))
    confirm = confirmation(_l("I confirm: the complainant asked to withdraw the complaint."))


class ReplyForm(FlaskForm):
    reply = TextAreaField(_l("Reply"), validators=[DataRequired(), Length(max=10000)])
    proposed_settlement = TextAreaField(_l("Proposed settlement (optional)"),
                                        validators=[Optional(), Length(max=5000)])
    evidence = MultipleFileField(_l("Evidence files (optional)"), description=_l("PDF, JPEG or PNG"),
                                 render_kw={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"})


class ReportForm(FlaskForm):
    report = TextAreaField(_l("Supervision report"), validators=[DataRequired(), Length(max=10000)],
                           description=_l("The authority supervises this complaint (督办) and awaits your report [M 16]."))


ACTION_FORMS = {"reject": RejectForm, "request_info": RequiredNoteForm, "close": CloseForm,
                "withdraw": WithdrawForm, "operator_reply": ReplyForm, "supervision_report": ReportForm}
ACTION_PARAMS = ("note", "reason", "outcome", "reply", "proposed_settlement", "report")


def action_form(action: str, **kwargs) -> FlaskForm:
    """The form of one action; the prefix keeps field ids unique when several are on a page."""
    return ACTION_FORMS.get(action, NoteForm)(prefix=action, **kwargs)


def action_params(form: FlaskForm) -> dict:
    return {name: form[name].data.strip() for name in ACTION_PARAMS
            if name in form and isinstance(form[name].data, str) and form[name].data.strip()}


class OfficerIntakeForm(ComplaintForm):
    """The public form plus when the letter or call arrived and by which channel (SPEC §3)."""

    received_at = DateTimeLocalField(_l("Received at (Beijing time)"), format="%Y-%m-%dT%H:%M",
                                     validators=[InputRequired(), FormDateInRange()],
                                     description=_l("When the letter or call reached the authority; "
                                                    "the deadlines run from this moment."))
    channel = RadioField(_l("Received by"), default="letter",
                         choices=choices({code: LABELS["received_via"][code] for code in INTAKE_CHANNELS}))

    # The public form speaks to the complainant ("your name"); here an officer types for them.
    STAFF_LABELS = {
        "name": _l("Complainant's name"), "phone": _l("Complainant's phone number"),
        "email": _l("Complainant's email (optional)"), "address": _l("Complainant's postal address (optional)"),
        "operator_complaint_date": _l("Date the complainant complained to the operator"),
        "request": _l("What the complainant asks for"),
    }
    STAFF_ANSWERS = [SelectChoice("none", _l("The operator has not answered")),
                     SelectChoice("dissatisfied", _l("The operator answered; the complainant is not satisfied"))]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, text in self.STAFF_LABELS.items():
            self[name].label = Label(self[name].id, text)
        self.operator_answer.choices = self.STAFF_ANSWERS

    def fill_officer_choices(self, user, lang: str) -> None:
        """Operators the officer supervises (active ones: intake refuses the others) and, for a
        provincial officer, only their own province (intake refuses the others)."""
        self.fill_choices(lang)
        active = scoped(select(Operator), user).where(Operator.active_on(today_local())).order_by(Operator.name)
        operators = [(str(o.id), o.display_name(lang)) for o in db.session.scalars(active)]
        self.operator_id.choices = as_choices(operators, _l("Choose an operator"))
        if not officer_sees_all(user):
            own = [(code, name) for code, name in province_choices(lang) if code == user.authority_code]
            self.province.choices = as_choices(own, _l("Choose a province"))
            if self.province.data is None:
                self.province.data = user.authority_code

    def partial_intake_data(self) -> dict:
        data = super().partial_intake_data()
        if data and self.received_at.data and not self.received_at.errors:
            data["received_at"] = self._received_at_utc()
        return data

    def _received_at_utc(self):
        # The datetime-local input is a wall-clock time in Asia/Shanghai (SPEC §3).
        return self.received_at.data.replace(tzinfo=local_tz()).astimezone(UTC)

    def to_intake_data(self) -> dict:
        naive = self.received_at.data
        # The datetime-local input is a wall-clock time in Asia/Shanghai (SPEC §3).
        return super().to_intake_data() | {"received_at": naive.replace(tzinfo=local_tz()).astimezone(UTC)}


# --- admin calendar ----------------------------------------------------------------------------

class OverrideForm(FlaskForm):
    day = DateField(_l("Day"), validators=[InputRequired(), FormDateInRange()])
    is_working_day = RadioField(_l("On this day"), default="no",
                                choices=[SelectChoice("yes", _l("Working day")), SelectChoice("no", _l("Day off"))])
    note = StringField(_l("Note and source"), validators=[DataRequired(), Length(max=300)],
                       description=_l("e.g. the State Council notice that changed the schedule"))


class DeleteForm(FlaskForm):
    """A button that only carries the CSRF token."""


# --- errors from the domain ----------------------------------------------------------------------

def show_domain_errors(form: FlaskForm, error: ValidationFailed, aliases: dict | None = None) -> None:
    """Put each `errors` entry next to its field ("hotlines.2" → hotlines); the rest on top."""
    aliases = aliases or {}
    for key, messages in (error.errors or {}).items():
        name = aliases.get(key)
        if name is None:
            name, _dot, index = key.partition(".")
            name = aliases.get(name, name)
            if index.isdigit():
                # TRANSLATORS: an error on one line of a multi-line box (e.g. the hotlines).
                messages = [_("line %(num)d: %(text)s", num=int(index) + 1, text=m) for m in messages]
        target = form._fields.get(name)
        if target is not None:
            target.errors = [*target.errors, *messages]
        else:
            form.form_errors.extend(messages)
    if not error.errors:
        form.form_errors.append(error.message)

