"""Officer pages of publications: drafts and versions in scope, prepare (PRG), preview, approve.

The page offers exactly the actions the workflow accepts for this officer (allowed_actions):
the preparer is never offered `approve` (four-eyes).
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from blueprints.web.officer import form_status, require_role, run_service
from blueprints.web.templating import current_lang
from supervision.access.models import Role
from supervision.access.scoping import load_in_scope, scoped
from supervision.audit import Actor, events_of
from supervision.clock import now_utc, today_local
from supervision.extensions import db
from supervision.publications import published, services
from supervision.publications.files import chart_svgs
from supervision.publications.kinds import kinds
from supervision.publications.models import Publication
from supervision.publications.periods import last_ended_quarter
from supervision.publications.texts import localized

bp = Blueprint("publishing", __name__, url_prefix="/officer/publications")
ACTION_LABELS = {"refresh": _l("Recompute the figures and sign as preparer"), "approve": _l("Approve and publish")}


class PrepareForm(FlaskForm):
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    period = StringField(_l("Quarter"), validators=[DataRequired(), Length(max=10)],
                         description=_l("An ended quarter, written like 2026Q3."))
    reason = TextAreaField(_l("Reason for a correction"), validators=[Optional(), Length(max=2000)],
                           description=_l("Only when this quarter is already published: say what the correction "
                                          "changes."))
    submit = SubmitField(_l("Prepare the draft"))


@bp.before_request
def require_officer():
    return require_role(Role.OFFICER)


def _prepare_form() -> PrepareForm:
    form = PrepareForm()
    form.kind.choices = [(name, str(kind.label)) for name, kind in kinds().items()]
    if not form.is_submitted():
        form.period.data = str(last_ended_quarter(today_local()))
    return form


@bp.route("/", methods=["GET", "POST"])
def index():
    form = _prepare_form()
    if form.is_submitted() and form.validate():
        data = {"kind": form.kind.data, "period": form.period.data, "reason": form.reason.data}
        outcome, result = run_service(form, services.prepare, current_user, data, now_utc(), today_local())
        if outcome == "ok":
            publication, created = result
            flash(_("Draft prepared.") if created else _("A draft of this publication was already open: here it is."),
                  "success")
            return redirect(url_for("publishing.preview", publication_id=publication.id))
    rows = db.session.scalars(scoped(select(Publication), current_user)
                              .where((Publication.status == "draft")
                                     | (Publication.authority_code == current_user.authority_code))
                              .order_by(Publication.period.desc(), Publication.id.desc()).limit(200)).all()
    return render_template("publishing/index.html", form=form, rows=rows, kinds=kinds(),
                           page_args=published.page_args), form_status() if form.is_submitted() else 200


@bp.get("/<id:publication_id>")
def preview(publication_id: int):
    publication = load_in_scope(Publication, current_user, id=publication_id)
    actor = Actor.of(current_user)
    return render_template("publishing/preview.html", publication=publication, figures=publication.figures,
                           actions=[(a, ACTION_LABELS[a]) for a in services.allowed_actions(publication, actor)],
                           events=events_of("publication", publication.id), localized=localized,
                           kind=kinds()[publication.kind], page_args=published.page_args,
                           charts=chart_svgs(publication.figures, current_lang()))


@bp.post("/<id:publication_id>/actions/<action>")
def act(publication_id: int, action: str):
    publication = load_in_scope(Publication, current_user, id=publication_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        flash(_("The form expired: please try again."), "error")
    else:
        outcome, _result = run_service(form, services.perform, publication, action, {"note": request.form.get("note")},
                                       Actor.of(current_user), now_utc())
        if outcome == "ok":
            flash(_("Published.") if action == "approve" else _("Figures recomputed."), "success")
            if action == "approve":
                return redirect(url_for("published.publication_page", **published.page_args(publication)))
        elif outcome == "invalid":
            flash(" ".join(form.form_errors) or _("The action could not be taken."), "error")
    return redirect(url_for("publishing.preview", publication_id=publication_id))
