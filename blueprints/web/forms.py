"""Shared WTForms: log-in, the public complaint form, tracking and the complainant's actions.

The forms check only the shape of the input (required, length, format); the rules of intake
and of each transition stay in the domain, whose messages are mapped back onto the fields.
"""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from blueprints.date_validators import FormDateInRange
from blueprints.web.labels import label_for
from supervision.access.models import NATIONAL, Authority
from supervision.access.scoping import scoped
from supervision.complaints.models import CATEGORIES
from supervision.complaints.rules import PHONE_RULE, normalize_phone
from supervision.extensions import db
from supervision.operators.models import Operator

REQUIRED = _l("This field is required.")
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
MONTH_SEPARATORS = re.compile(r"[\s,，、;；]+")


def chinese_phone(_form, field) -> None:
    """The domain's phone rule (rules.normalize_phone), which the API applies too."""
    if field.data and normalize_phone(field.data) is None:
        raise ValidationError(str(PHONE_RULE))


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), [InputRequired(REQUIRED), Length(max=80)],
                           render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), [InputRequired(REQUIRED), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class ComplaintForm(FlaskForm):
    """The public complaint form; field names follow POST /api/v1/complaints where they can."""

    operator_id = SelectField(_l("Operator you complain about"), [InputRequired(REQUIRED)],
                              description=_l("Only operators with a valid licence are listed [C 10]."))
    province = SelectField(_l("Province of the operator's branch concerned"), [InputRequired(REQUIRED)],
                           description=_l("Where the service was provided [C 9]."))
    topic = SelectField(_l("What is the complaint about?"), [InputRequired(REQUIRED)])
    description = TextAreaField(_l("What happened"), [InputRequired(REQUIRED), Length(max=5000)],
                                description=_l("The facts: what happened, when, which number or account."))
    request = TextAreaField(_l("What do you ask for"), [InputRequired(REQUIRED), Length(max=2000)],
                            description=_l("For example: a refund of 30 yuan, a repair, an apology."))
    event_date = DateField(_l("Date of the event or of the disputed charge"), [InputRequired(REQUIRED),
                                                                                FormDateInRange()],
                           description=_l("Format: YYYY-MM-DD."))
    operator_complaint_date = DateField(
        _l("Date you complained to the operator"), [InputRequired(REQUIRED), FormDateInRange()],
        description=_l("You must first complain to the operator; it has 15 days to answer [C 10]. "
                       "Format: YYYY-MM-DD."))
    operator_answer = RadioField(
        _l("The operator's answer"), [InputRequired(REQUIRED)],
        choices=[SelectChoice("none", _l("The operator has not answered")),
                 SelectChoice("dissatisfied", _l("The operator answered, but I am not satisfied"))])
    disputed_months = StringField(
        _l("Disputed billing months"), [Optional(), Length(max=100)],
        description=_l("Billing complaints only: the month(s) of the disputed charges, "
                       "separated by commas, e.g. 2026-08, 2026-09."))
    already_settled = BooleanField(_l("This dispute has already been settled"))
    handled_elsewhere = BooleanField(_l("A court, arbitration body or another authority has already handled it"))
    name = StringField(_l("Your name"), [InputRequired(REQUIRED), Length(max=100)],
                       render_kw={"autocomplete": "name"})
    phone = StringField(_l("Phone number"), [InputRequired(REQUIRED), Length(max=40), chinese_phone],
                        description=_l("A mobile number, or a landline with its area code (e.g. 010-12345678)."),
                        render_kw={"autocomplete": "tel", "type": "tel"})
    email = StringField(_l("Email (optional)"), [Optional(), Length(max=200),
                                                 Regexp(EMAIL_PATTERN, message=_l("Enter an email address."))],
                        render_kw={"autocomplete": "email", "type": "email"})
    address = StringField(_l("Postal address (optional)"), [Optional(), Length(max=300)],
                          render_kw={"autocomplete": "street-address"})
    evidence = MultipleFileField(_l("Evidence (optional)"),
                                 description=_l("Bills, screenshots or letters: PDF, JPEG or PNG files."),
                                 render_kw={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"})
    # One per form page: the same form sent twice files one complaint (receipts.py).
    submission_token = HiddenField(validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("File the complaint"))

    # The domain's error keys (the API's field names) → the field that shows them.
    FIELD_OF_ERROR = {"category": "topic", "subcategory": "topic", "file": "evidence",
                      "complainant.name": "name", "complainant.phone": "phone"}

    def fill_choices(self, lang: str) -> None:
        self.operator_id.choices = as_choices(operator_choices(lang), _l("Choose an operator"))
        self.province.choices = as_choices(province_choices(lang), _l("Choose a province"))
        self.topic.choices = [SelectChoice("", _l("Choose what the complaint is about"))] + topic_choices()

    def to_intake_data(self) -> dict:
        """The dict `intake.file_complaint` takes (the API's shape)."""
        category, _, subcategory = (self.topic.data or "").partition(":")
        return {
            "operator_id": int(self.operator_id.data), "province": self.province.data,
            "category": category, "subcategory": subcategory, "description": self.description.data,
            "request": self.request.data, "operator_complaint_date": self.operator_complaint_date.data,
            "operator_answer": self.operator_answer.data, "event_date": self.event_date.data,
            "disputed_months": split_months(self.disputed_months.data),
            "already_settled": self.already_settled.data, "handled_elsewhere": self.handled_elsewhere.data,
            "complainant": {"name": self.name.data.strip(), "phone": self.phone.data.strip(),
                            "email": (self.email.data or "").strip() or None,
                            "address": (self.address.data or "").strip() or None},
        }

    def partial_intake_data(self) -> dict:
        """The well-formed part of a form that failed its format checks (for intake_precheck)."""
        def usable(name):
            return not self[name].errors and self[name].data not in (None, "")

        data = {}
        if usable("topic"):
            data["category"], _sep, data["subcategory"] = self.topic.data.partition(":")
        for name in ("description", "request", "event_date", "operator_complaint_date", "operator_answer",
                     "already_settled", "handled_elsewhere"):
            if usable(name):
                data[name] = self[name].data
        if usable("disputed_months"):
            data["disputed_months"] = split_months(self.disputed_months.data)
        return data

    def attach_errors(self, errors: dict[str, list[str]]) -> list[str]:
        """Put the domain's messages on their fields; return those that belong to no field."""
        unplaced = []
        for key, messages in errors.items():
            field = getattr(self, self.FIELD_OF_ERROR.get(key, key), None)
            if field is not None and messages and set(map(str, messages)) <= set(map(str, field.errors or [])):
                continue  # already shown there
            if field is None or not hasattr(field, "errors"):
                unplaced.extend(messages)
                continue
            field.errors = list(field.errors or []) + list(messages)
        return unplaced


def as_choices(pairs, blank=None) -> list[SelectChoice]:
    """(value, label) pairs as the options of a select, after a blank "choose…" option if given."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(value, label) for value, label in pairs]


def chosen_files(uploads) -> list:
    """The files actually chosen in a file input: browsers send an empty part when none is."""
    return [upload for upload in uploads or [] if upload and upload.filename]


def split_months(text: str | None) -> list[str]:
    return [m for m in MONTH_SEPARATORS.split(text or "") if m]


def operator_choices(lang: str) -> list[tuple[str, str]]:
    operators = db.session.scalars(scoped(select(Operator), None).order_by(Operator.name)).all()
    return [(str(o.id), o.display_name(lang)) for o in operators]


def province_choices(lang: str) -> list[tuple[str, str]]:
    provinces = db.session.scalars(select(Authority).where(Authority.code != NATIONAL).order_by(Authority.code))
    return [(a.code, a.region_name(lang)) for a in provinces]


def topic_choices() -> list[SelectChoice]:
    """One select with a group per category, so a sub-category always matches its category."""
    return [SelectChoice(f"{category}:{sub}", label_for("subcategory", sub), optgroup=label_for("category", category))
            for category, subs in CATEGORIES.items() for sub in subs]


class TrackForm(FlaskForm):
    reference = StringField(_l("Complaint reference"), [InputRequired(REQUIRED), Length(max=24)],
                            description=_l("For example TS-32-20261126-123456."),
                            render_kw={"autocomplete": "off", "spellcheck": "false"})
    access_code = PasswordField(_l("Access code"), [InputRequired(REQUIRED), Length(max=40)],
                                description=_l("The code shown once when you filed the complaint."),
                                render_kw={"autocomplete": "off"})
    submit = SubmitField(_l("Show my complaint"))


class ComplainantActionForm(FlaskForm):
    """Every action form of the tracking page carries the reference and the access code in
    hidden fields (never in the URL, so the code stays out of logs and browser history)."""

    reference = HiddenField(validators=[InputRequired()])
    access_code = HiddenField(validators=[InputRequired()])
    TEXT_PARAMS = ("note", "comment", "decision")

    def params(self) -> dict:
        """The body of the action, as transitions.perform takes it (the API's field names)."""
        return {name: self[name].data for name in self.TEXT_PARAMS if name in self and self[name].data}


class ProvideInfoForm(ComplainantActionForm):
    note = TextAreaField(_l("The information requested"), [InputRequired(REQUIRED), Length(max=5000)])
    file = MultipleFileField(_l("Files (optional)"), description=_l("PDF, JPEG or PNG files."))
    submit = SubmitField(_l("Send the information"))


class WithdrawForm(ComplainantActionForm):
    note = TextAreaField(_l("Reason (optional)"), [Optional(), Length(max=2000)])
    submit = SubmitField(_l("Withdraw my complaint"))


class SettlementForm(ComplainantActionForm):
    decision = RadioField(_l("Your answer to the proposed settlement"), [InputRequired(REQUIRED)],
                          choices=[SelectChoice("accept", _l("I accept the proposed settlement")),
                                   SelectChoice("reject", _l("I reject the proposed settlement"))])
    note = TextAreaField(_l("Comment (optional)"), [Optional(), Length(max=2000)])
    submit = SubmitField(_l("Send my answer"))


class RateForm(ComplainantActionForm):
    score = RadioField(_l("How satisfied are you with the handling? (1 = not at all, 5 = very)"),
                       [InputRequired(REQUIRED)], choices=[SelectChoice(str(n)) for n in range(1, 6)])
    comment = TextAreaField(_l("Comment (optional)"), [Optional(), Length(max=2000)])
    submit = SubmitField(_l("Send my rating"))

    def params(self) -> dict:
        return super().params() | {"score": int(self.score.data)}


# action name (transitions.STEPS) → its form on the tracking page
ACTION_FORMS = {"provide_info": ProvideInfoForm, "withdraw": WithdrawForm,
                "respond_settlement": SettlementForm, "rate": RateForm}
