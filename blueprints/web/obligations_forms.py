"""Forms of the obligations pages: retention attestations, self-inspection reports."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from blueprints.web.forms import as_choices


class AttestationForm(FlaskForm):
    system = StringField(_l("Billing system"), validators=[DataRequired(), Length(max=60)],
                         description=_l("The name your company uses for the billing system, e.g. BOSS-1."))
    province = SelectField(_l("Province"), choices=[])
    earliest_day = DateField(_l("Earliest day held"), validators=[InputRequired()])
    latest_day = DateField(_l("Latest day held"), validators=[InputRequired()])
    as_of = DateField(_l("As of"), validators=[InputRequired()],
                      description=_l("The day on which the system held these days (today or earlier)."))


class AttestationUploadForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[DataRequired()],
                     description=_l("Columns: system,province,earliest_day,latest_day,as_of — one line per "
                                    "billing system and province. Nothing is filed unless every line is correct."))


class NewReportForm(FlaskForm):
    period = SelectField(_l("Half-year"), choices=[])


class ReportMetricsForm(FlaskForm):
    """The metrics and texts; the checklist answers are read from result-<item>/explanation-<item>."""

    complaints_received = IntegerField(_l("Complaints received"), validators=[Optional(), NumberRange(min=0)])
    answered_in_time_share = DecimalField(_l("Share answered in time (0–1)"), places=None,
                                          validators=[Optional(), NumberRange(min=0, max=1)])
    billing_error_rate = DecimalField(_l("Billing error rate"), places=None,
                                      validators=[Optional(), NumberRange(min=0, max=1)],
                                      description=_l("Standard: at most 0.0001 (1e-4)."))
    problems = TextAreaField(_l("Problems found"), validators=[Optional(), Length(max=20000)])
    corrective_actions = TextAreaField(_l("Corrective actions"), validators=[Optional(), Length(max=20000)])


class SubmitReportForm(FlaskForm):
    confirm_warnings = BooleanField(_l("I have read the warnings above and confirm the figures."))


class ReturnReportForm(FlaskForm):
    comment = TextAreaField(_l("Comment to the operator"), validators=[DataRequired(), Length(max=5000)])


class DecisionForm(FlaskForm):
    """Accept: the CSRF token only."""


class ReportFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=[], validators=[Optional()])
    period = StringField(_l("Half-year"), validators=[Optional(), Length(max=6)])


class SampleAnswerForm(FlaskForm):
    produced = SelectField(_l("Answer"), choices=as_choices([("yes", _l("Produced (attach the records)")),
                                                             ("no", _l("Cannot be produced"))]))
    file = FileField(_l("Records file (PDF, JPEG or PNG)"))
    note = TextAreaField(_l("Note (required when the records cannot be produced)"),
                         validators=[Optional(), Length(max=2000)])


class SampleDrawForm(FlaskForm):
    operator_id = SelectField(_l("Operator"), choices=[], coerce=int)
    province = SelectField(_l("Province"), choices=[])
    size = IntegerField(_l("Number of items"), default=5, validators=[InputRequired(), NumberRange(min=1, max=50)])
    accounts = TextAreaField(_l("Account references"), validators=[DataRequired(), Length(max=40000)],
                             description=_l("One per line: the accounts the sample is drawn from."))
    seed = IntegerField(_l("Seed (optional)"), validators=[Optional(), NumberRange(min=0, max=2**53 - 1)],
                        description=_l("Leave empty: the system picks one and shows it, so the draw can be repeated."))


class ClauseForm(FlaskForm):
    title = StringField(_l("Clause title"), validators=[DataRequired(), Length(max=200)],
                        description=_l("Filing the same title again files its next version."))
    text = TextAreaField(_l("Full text"), validators=[DataRequired(), Length(max=200_000)])


class ClauseReviewForm(FlaskForm):
    comment = TextAreaField(_l("Comment (required to ask for changes)"), validators=[Optional(), Length(max=5000)])
