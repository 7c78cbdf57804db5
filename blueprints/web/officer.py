"""Officer pages: operator records in the jurisdiction, the complaint queue, intake and handling.

Every handler goes load (in scope) → service → commit once → flash → redirect; a service's
field errors are shown next to the fields and nothing is saved.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from blueprints.web import officer_forms as forms
from blueprints.web.forms import as_choices, chosen_files
from blueprints.web.labels import label_for
from blueprints.web.templating import current_lang
from supervision.access.models import Role
from supervision.access.scoping import can_manage_operator, load_in_scope, province_in_scope, scoped
from supervision.audit import Actor, events_of
from supervision.clock import now_utc, today_local
from supervision.complaints import attachments, export, intake, queue, receipts, transitions, views
from supervision.complaints.models import Complaint
from supervision.complaints.queue import QueueFilters, nearest_due_page, queue_query
from supervision.db_locking import writing
from supervision.errors import Conflict, Forbidden, ValidationFailed
from supervision.extensions import db
from supervision.operators import services
from supervision.operators.models import Operator
from supervision.workflow.due import due_items
from supervision.workflow.subjects import subjects

bp = Blueprint("officer", __name__, url_prefix="/officer")
PAGE_SIZE = 50
# The complaint queues count up to this many rows ("more than 1,000"): 20 pages, then filters.
QUEUE_COUNT_CAP = 1000
FILED_SESSION_KEY = "officer_filed_complaint"


# --- shared by the officer, portal and admin blueprints -------------------------------------------

def require_role(role: str):
    """Signed in (else to the log-in page, coming back here) and of `role` (else 403)."""
    if not current_user.is_authenticated:
        target = request.full_path if request.query_string else request.path
        return redirect(url_for("auth.login", next=target))
    if current_user.role != role:
        abort(403)
    return None


@dataclass
class Page:
    items: list
    number: int
    total: int
    # Counting stopped here (paginate's `count_cap`): there are more than `total - 1` rows.
    capped: bool = False

    @property
    def has_next(self) -> bool:
        return self.number * PAGE_SIZE < self.total

    @staticmethod
    def url(number: int) -> str:
        return url_for(request.endpoint, **(request.view_args or {}), **(request.args.to_dict() | {"page": number}))


def page_number(raw: str | None, last: int) -> int:
    """`?page=` from the URL, bounded: not a positive whole number → 1, past the end → `last`.

    A number with more digits than the last page is past the end without converting it: a huge
    one would overflow the database's OFFSET (a 500), and Python refuses int() of very long text.
    """
    if not raw or not (raw.isascii() and raw.isdigit()):
        return 1
    if len(raw.lstrip("0")) > len(str(last)):
        return last
    return min(max(int(raw), 1), last)


def paginate(stmt, fetch: Callable | None = None, count_cap: int | None = None) -> Page:
    """One page of `stmt` for every paged list of the web pages (officer, portal, admin);
    `fetch(stmt, offset, limit)` reads the page when the list has an order of its own.

    With `count_cap`, counting stops after that many rows: counting a million complaints on
    every page view costs more than the page itself, and no one pages that far (they filter).
    """
    counted = stmt.order_by(None)
    if count_cap is not None:
        counted = counted.limit(count_cap + 1)
    total = db.session.scalar(select(func.count()).select_from(counted.subquery()))
    number = page_number(request.args.get("page"), last=max(1, -(-total // PAGE_SIZE)))
    offset, capped = (number - 1) * PAGE_SIZE, count_cap is not None and total > count_cap
    if fetch is not None:
        return Page(fetch(stmt, offset, PAGE_SIZE), number, total, capped)
    return Page(list(db.session.scalars(stmt.limit(PAGE_SIZE).offset(offset))), number, total, capped)


def form_status() -> int:
    """A form shown again after a POST was refused (422); a first GET is a 200."""
    return 422 if request.method == "POST" else 200


def run_service(form, service: Callable, *args, aliases: dict | None = None) -> tuple[str, object]:
    """Call a service and commit once. Returns ("ok", its result); ("invalid", None) with the
    field errors put on `form`; ("refused", None) with the reason flashed. Nothing is saved
    unless "ok"."""
    try:
        result = service(*args)
    except ValidationFailed as error:
        db.session.rollback()
        forms.show_domain_errors(form, error, aliases)
        return "invalid", None
    except (Conflict, Forbidden) as error:
        db.session.rollback()
        flash(error.message, "error")
        return "refused", None
    db.session.commit()
    return "ok", result


def send_attachment(complaint: Complaint, attachment_id: int):
    """A file of a complaint already loaded in the caller's scope."""
    attachment = attachments.attachment_to_read(complaint, attachment_id, current_user, now_utc())
    if attachment is None:
        abort(404)
    return send_file(attachments.attachment_path(attachment), mimetype=attachment.content_type,
                     as_attachment=True, download_name=attachment.filename)


next_deadline = queue.next_deadline  # the template global of the queue tables


@bp.before_request
def require_officer():
    return require_role(Role.OFFICER)


# --- operators ------------------------------------------------------------------------------------

def may_register_operators(user) -> bool:
    return can_manage_operator(user, "national", None) or can_manage_operator(user, "provincial",
                                                                              user.authority_code)


@bp.get("/operators")
def operators():
    form = forms.OperatorFilterForm(request.args)
    form.validate()
    stmt = scoped(select(Operator), current_user).options(selectinload(Operator.hotlines))
    if form.q.data and not form.q.errors:
        like = f"%{form.q.data.strip()}%"
        stmt = stmt.where(or_(Operator.name.ilike(like), Operator.name_en.ilike(like),
                              Operator.licence_no.ilike(like)))
    if form.status.data and not form.status.errors:
        stmt = stmt.where(Operator.status == form.status.data)
    page = paginate(stmt.order_by(Operator.name, Operator.id))
    return render_template("officer/operators.html", form=form, page=page, today=today_local(),
                           current_status=services.current_status, provinces=_province_names(),
                           may_register=may_register_operators(current_user))


def _province_names() -> dict[str, str]:
    return dict(forms.province_choices(current_lang()))


@bp.get("/operators/<id:operator_id>")
def operator_detail(operator_id: int):
    operator = load_in_scope(Operator, current_user, id=operator_id)
    return _render_operator(operator, _subscriber_form(operator, formdata=None))


def _subscriber_form(operator: Operator, **kwargs) -> forms.SubscriberCountForm:
    form = forms.SubscriberCountForm(**kwargs)
    names = _province_names()
    # Only the provinces this officer may write for (the service refuses the others too).
    form.province.choices = [(code, name) for code, name in names.items()
                             if operator.operates_in(code) and province_in_scope(current_user, code)]
    if form.province.data is None and current_user.authority_code in names:
        form.province.data = current_user.authority_code
    return form


def _render_operator(operator: Operator, count_form, status: int = 200):
    return render_template(
        "officer/operator.html", operator=operator, count_form=count_form, provinces=_province_names(),
        status_now=services.current_status(operator, today_local()), events=events_of("operator", operator.id),
        may_edit=can_manage_operator(current_user, operator.scope, operator.province),
        lang_next=url_for(".operator_detail", operator_id=operator.id)), status


@bp.post("/operators/<id:operator_id>/subscribers")
def operator_subscribers(operator_id: int):
    operator = load_in_scope(Operator, current_user, id=operator_id)
    form = _subscriber_form(operator)
    if form.validate_on_submit():
        outcome, _row = run_service(form, services.set_subscriber_count, operator, form.province.data,
                                    form.quarter.data.strip(), form.subscribers.data, current_user, now_utc())
        if outcome == "ok":
            flash(_("Subscriber count saved."), "success")
            return redirect(url_for(".operator_detail", operator_id=operator_id))
    return _render_operator(operator, form, 422)


@bp.route("/operators/new", methods=["GET", "POST"])
def operator_new():
    form = forms.OperatorForm()
    form.set_province_choices(current_lang())
    if request.method == "GET" and not current_user.is_national_officer:
        form.province.data = current_user.authority_code
    return _operator_form_page(form, None, _l("Operator %(name)s registered."))


@bp.route("/operators/<id:operator_id>/edit", methods=["GET", "POST"])
def operator_edit(operator_id: int):
    operator = load_in_scope(Operator, current_user, id=operator_id)
    if not can_manage_operator(current_user, operator.scope, operator.province):
        abort(403)
    form = forms.OperatorEditForm()
    form.set_province_choices(current_lang())
    if request.method == "GET":
        forms.fill_operator_form(form, operator)
    return _operator_form_page(form, operator, _l("Operator %(name)s saved."))


def _operator_form_page(form: forms.OperatorForm, operator: Operator | None, saved_message):
    """Register (`operator` None) or update the operator from the posted form, or show the form
    again with the service's field errors. `saved_message` takes the operator's %(name)s."""
    if form.validate_on_submit():
        if operator is None:
            service, target = services.register_operator, ()
        else:
            service, target = services.update_operator, (operator,)
        outcome, saved = run_service(form, service, *target, forms.operator_values(form), current_user,
                                     now_utc(), today_local())
        if outcome == "ok":
            flash(saved_message % {"name": saved.name}, "success")
            return redirect(url_for(".operator_detail", operator_id=saved.id))
    return render_template("officer/operator_form.html", form=form, operator=operator), form_status()


# --- complaints -----------------------------------------------------------------------------------

def _queue_filters(form: forms.QueueFilterForm) -> QueueFilters:
    form.validate()

    def value(name):
        # A bad filter value (an unknown status in a hand-edited URL) is ignored, not an error.
        field = form[name]
        data = field.data.strip() if isinstance(field.data, str) else ""
        return data if data and not field.errors else None

    operator_id, supervised = value("operator_id"), value("supervised")
    return QueueFilters(status=value("status"), operator_id=int(operator_id) if operator_id else None,
                        clock_state=value("clock_state"), escalation=value("escalation"), q=value("q"),
                        supervised=None if supervised is None else supervised == "yes")


def _queue_form() -> forms.QueueFilterForm:
    form = forms.QueueFilterForm(request.args)
    visible = db.session.scalars(scoped(select(Operator), current_user).order_by(Operator.name))
    form.operator_id.choices = as_choices(((str(o.id), o.display_name(current_lang())) for o in visible),
                                          _("Any operator"))
    return form


@bp.get("/complaints")
def complaints():
    form = _queue_form()
    filters = _queue_filters(form)
    stmt = queue_query(current_user, filters).options(*queue.queue_row_loading(), selectinload(Complaint.operator))
    page = paginate(stmt, fetch=nearest_due_page, count_cap=QUEUE_COUNT_CAP)
    queue.record_search_reads(current_user, page.items, filters.q, now_utc())
    filters = {key: value for key, value in request.args.items() if key != "page"}
    return render_template("officer/complaints.html", form=form, page=page, next_deadline=next_deadline,
                           lang=current_lang(), filtered=any(filters.values()),
                           csv_url=url_for(".complaints_csv", **filters))


@bp.get("/complaints.csv")
def complaints_csv():
    """The queue as filtered, every page, as CSV: streamed, so its size does not matter."""
    user, filters = current_user._get_current_object(), _queue_filters(_queue_form())
    db.session.rollback()  # end the page's read snapshot: the reads are written first
    with writing():
        lines = export.csv_lines(user, filters, now_utc())
        db.session.commit()
    return Response(stream_with_context(lines), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="complaints.csv"',
                             "Cache-Control": "no-store"})


@bp.get("/complaints/<reference>")
def complaint_detail(reference: str):
    complaint = load_in_scope(Complaint, current_user, reference=reference)
    return _render_complaint(complaint)


def _render_complaint(complaint: Complaint, failed: tuple | None = None, status: int = 200):
    view = views.complaint_view(complaint, current_user, current_lang(), today=today_local())
    action_forms = {action: forms.action_form(action, formdata=None) for action in view["allowed_actions"]}
    if failed:
        action_forms[failed[0]] = failed[1]
    return render_template("officer/complaint.html", c=view, action_forms=action_forms,
                           failed_action=failed[0] if failed else None, provinces=_province_names(),
                           lang_next=url_for(".complaint_detail", reference=complaint.reference)), status


@bp.post("/complaints/<reference>/actions/<action>")
def complaint_action(reference: str, action: str):
    complaint = load_in_scope(Complaint, current_user, reference=reference)
    if action not in transitions.ACTIONS:
        abort(404)
    form = forms.action_form(action)
    if not form.validate_on_submit():
        return _render_complaint(complaint, (action, form), 422)
    outcome, _changed = run_service(form, transitions.perform, complaint, action, forms.action_params(form),
                                    Actor.of(current_user), now_utc())
    if outcome == "invalid":
        return _render_complaint(complaint, (action, form), 422)
    if outcome == "ok":
        flash(_("%(action)s: done. The complaint is now %(status)s.", action=label_for("action_button", action),
                status=label_for("staff_status", complaint.status)), "success")
    # The message (done, or why not) is at the top: open the page there, not at the old form.
    return redirect(url_for(".complaint_detail", reference=reference, _anchor="messages"))


@bp.get("/complaints/<reference>/attachments/<id:attachment_id>")
def complaint_attachment(reference: str, attachment_id: int):
    complaint = load_in_scope(Complaint, current_user, reference=reference)
    return send_attachment(complaint, attachment_id)


def _file_with_evidence(form: forms.OfficerIntakeForm) -> tuple[Complaint, str]:
    """The complaint and the scanned letter (if any) in one transaction."""
    now = now_utc()
    complaint, access_code = intake.file_complaint(form.to_intake_data(), current_user, now, form.channel.data)
    for upload in chosen_files(form.evidence.data):
        attachments.store_attachment(complaint, upload.filename, upload.read(), Actor.of(current_user), now)
    return complaint, access_code


@bp.route("/complaints/new", methods=["GET", "POST"])
def complaint_new():
    form = forms.OfficerIntakeForm()
    form.fill_officer_choices(current_user, current_lang())
    if not form.is_submitted():
        form.submission_token.data = receipts.new_token()
    pass_token = receipts.submission_pass_token(form.submission_token.data or receipts.new_token())
    if form.is_submitted() and (found := receipts.find(pass_token, receipts.FILED, now_utc())):
        return _to_filed_page(found[0], pass_token)  # the same form sent twice: one complaint
    if form.validate_on_submit():
        previous = receipts.find(session.get(FILED_SESSION_KEY), receipts.FILED, now_utc())
        if previous and intake.same_complaint(previous[0], form.to_intake_data()):
            return _to_filed_page(previous[0], session[FILED_SESSION_KEY])  # sent again from the back button
        outcome, filed = run_service(form, _file_and_keep_code, form, pass_token, aliases=form.FIELD_OF_ERROR)
        if outcome == "ok":
            return _to_filed_page(filed, pass_token)
    elif form.is_submitted() and (well_formed := form.partial_intake_data()):
        # The rules of intake too, on what is well-formed: every problem in one round.
        form.attach_errors(intake.intake_precheck(well_formed, now_utc()))
    return render_template("officer/complaint_new.html", form=form), form_status()


def _file_and_keep_code(form: forms.OfficerIntakeForm, pass_token: str) -> Complaint:
    """File, and keep the access code server-side for the one-time display (never in the cookie)."""
    complaint, access_code = _file_with_evidence(form)
    receipts.issue(complaint, access_code, pass_token, receipts.FILED, now_utc())
    return complaint


def _to_filed_page(complaint: Complaint, pass_token: str):
    session[FILED_SESSION_KEY] = pass_token
    return redirect(url_for(".complaint_filed", reference=complaint.reference), code=303)


@bp.get("/complaints/<reference>/filed")
def complaint_filed(reference: str):
    complaint = load_in_scope(Complaint, current_user, reference=reference)
    found = receipts.find(session.get(FILED_SESSION_KEY), receipts.FILED, now_utc())
    access_code = found[1] if found and found[0].id == complaint.id else None
    db.session.commit()  # an expired code is erased at this first look
    return render_template("officer/complaint_filed.html", complaint=complaint, access_code=access_code,
                           deadlines=[views.deadline_view(d, current_lang()) for d in complaint.deadlines])


@bp.post("/complaints/<reference>/filed/done")
def complaint_filed_done(reference: str):
    """The letter with the code is written: the code leaves the screen (and the server) now."""
    load_in_scope(Complaint, current_user, reference=reference)
    receipts.forget(session.get(FILED_SESSION_KEY), receipts.FILED)
    db.session.commit()
    return redirect(url_for(".complaint_filed", reference=reference), code=303)


# --- what is due ----------------------------------------------------------------------------------

@bp.get("/due")
def due():
    """Every running deadline of every workflow in the officer's jurisdiction, nearest (and missed) first."""
    known = [s.type for s in subjects()]
    kind = request.args.get("kind")
    items = due_items(current_user, today_local(), kinds=[kind] if kind in known else None, limit=200)
    return render_template("officer/due.html", items=items, kinds=known, kind=kind if kind in known else None,
                           today=today_local())
