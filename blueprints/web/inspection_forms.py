"""Forms of the inspection, order and penalty pages (officers and the operator portal)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from blueprints.web.inspection_labels import LABELS
from supervision.inspections.models import ITEM_RESULTS, TYPES
from supervision.orders.models import MEASURES

# The fields each workflow step asks for on the pages (the step table's `required` + extras).
STEP_FIELDS = {
    "issue_draft": ("summary",), "reply": ("reply",), "finalise": ("summary",), "correct": ("summary", "note"),
    "cancel": ("note",), "file_plan": ("plan",), "report_completion": ("report",), "verify": ("note",),
    "reopen": ("note", "deadline"),
}


def _choices(kind: str, codes) -> list[tuple[str, str]]:
    return [(code, LABELS[kind][code]) for code in codes]


class PlanInspectionForm(FlaskForm):
    operator_id = SelectField(_l("Operator"), coerce=int, validators=[InputRequired()])
    type = SelectField(_l("Type of inspection"), validators=[InputRequired()])
    officers = SelectMultipleField(_l("Inspection team"), validators=[DataRequired()],
                                   description=_l("At least two officers of your authority, each with an "
                                                  "enforcement credential [M 7]."))
    planned_on = DateField(_l("Planned on"), validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = _choices("inspection_type", TYPES)


class ItemResultForm(FlaskForm):
    result = SelectField(_l("Result"), validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    file = FileField(_l("Evidence (PDF, JPEG or PNG)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.result.choices = _choices("item_result", ITEM_RESULTS)


class SealForm(FlaskForm):
    items = TextAreaField(_l("Records sealed"), validators=[InputRequired(), Length(max=5000)])


class UnsealForm(FlaskForm):
    note = TextAreaField(_l("Why they are released"), validators=[InputRequired(), Length(max=5000)])


class StepForm(FlaskForm):
    """The parameters any step may take; the page shows those in STEP_FIELDS for the action."""

    summary = TextAreaField(_l("Result"), validators=[Optional(), Length(max=20000)])
    reply = TextAreaField(_l("Reply"), validators=[Optional(), Length(max=20000)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    plan = TextAreaField(_l("Rectification plan"), validators=[Optional(), Length(max=20000)])
    report = TextAreaField(_l("Completion report"), validators=[Optional(), Length(max=20000)])
    deadline = DateField(_l("New deadline"), validators=[Optional()])

    def params(self, action: str) -> dict:
        values = {name: self[name].data for name in STEP_FIELDS.get(action, ())}
        return {k: v for k, v in values.items() if v not in (None, "")}


class EvidenceForm(FlaskForm):
    file = FileField(_l("Evidence (PDF, JPEG or PNG)"), validators=[DataRequired()])


class OrderForm(FlaskForm):
    operator_id = SelectField(_l("Operator"), coerce=int, validators=[InputRequired()])
    finding_ids = SelectMultipleField(_l("Findings cited"), coerce=int, validators=[DataRequired()])
    requirement = TextAreaField(_l("Requirement"), validators=[InputRequired(), Length(max=10000)])
    deadline = DateField(_l("Deadline"), validators=[InputRequired()])


class PenaltyForm(FlaskForm):
    operator_id = SelectField(_l("Operator"), coerce=int, validators=[InputRequired()])
    rule = SelectField(_l("Rule"), validators=[InputRequired()])
    measure = SelectField(_l("Measure"), validators=[InputRequired()])
    amount_yuan = IntegerField(_l("Fine (yuan)"), validators=[Optional(), NumberRange(min=0, max=10**9)])
    facts = TextAreaField(_l("Facts"), validators=[InputRequired(), Length(max=20000)])
    finding_id = IntegerField(_l("Finding number"), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    order_id = IntegerField(_l("Order number (id)"), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure.choices = _choices("measure", MEASURES)


class CampaignForm(FlaskForm):
    period = StringField(_l("Quarter"), validators=[InputRequired(), Regexp(r"^\d{4}Q[1-4]$",
                                                                            message=_l("a quarter like 2026Q4"))])
    type = SelectField(_l("Type of inspection"), validators=[InputRequired()])
    operators_to_draw = IntegerField(_l("Operators to draw"), validators=[InputRequired(), NumberRange(min=1, max=100)])
    inspectors_per_inspection = IntegerField(_l("Inspectors per inspection"), default=2,
                                             validators=[InputRequired(), NumberRange(min=2, max=10)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = _choices("inspection_type", TYPES)


class ConflictForm(FlaskForm):
    username = SelectField(_l("Officer"), validators=[InputRequired()])
    operator_id = SelectField(_l("Operator"), coerce=int, validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=2000)])
