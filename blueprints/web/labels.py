"""The human labels of the codes the domain stores (statuses, clocks, categories, roles…).

One table for every page: templates call `label_for(kind, code)`, forms build their choices
from the same entries. Where the complainant and the staff need different words for the same
code, there are two kinds (`status` / `staff_status`, `role` / `actor`, `settlement` /
`staff_settlement`).
"""
import re

from flask import g, has_app_context, has_request_context, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

LABELS = {
    # --- complaints, as the complainant reads them ---
    "status": {
        "submitted": _l("Submitted"), "accepted": _l("Accepted"), "rejected": _l("Not accepted"),
        "awaiting_info": _l("Waiting for your information"), "transferred": _l("Transferred to the operator"),
        "operator_replied": _l("Operator replied"), "mediation": _l("In mediation"), "closed": _l("Closed"),
        "withdrawn": _l("Withdrawn"),
    },
    "outcome": {"resolved": _l("Resolved"), "partly_resolved": _l("Partly resolved"),
                "unresolved": _l("Unresolved"), "withdrawn": _l("Withdrawn")},
    "clock": {"acceptance": _l("Decision on acceptance"), "answer": _l("Answer to the complainant"),
              "operator_reply": _l("Operator's reply"), "supervision_report": _l("Report on the supervised matter"),
              "self_inspection_report": _l("Self-inspection report due"),
              "sample_production": _l("Production of the billing-record sample"),
              "right_of_reply": _l("Operator's right of reply"), "order_deadline": _l("Rectification deadline")},
    # The kinds of record whose deadlines the "what is due" page lists (workflow/subjects.py).
    "subject": {"complaint": _l("Complaint"), "self_inspection": _l("Self-inspection report"),
                "billing_sample": _l("Billing-record sample"), "inspection": _l("Inspection"),
                "order": _l("Rectification order"), "publication": _l("Publication")},
    "owed_by": {"operator": _l("Operator"), "authority": _l("Authority")},
    "state": {"pending": _l("Running"), "due_soon": _l("Due soon"), "met": _l("Met"), "missed": _l("Missed")},
    "category": {"service": _l("Service dispute"), "billing": _l("Marketing, billing or tariff dispute"),
                 "network": _l("Network quality or information security")},
    "subcategory": {
        "quality_of_service": _l("Quality of service"), "staff_conduct": _l("Staff conduct"),
        "contract": _l("Contract terms"), "number_porting": _l("Number porting"),
        "cancellation": _l("Cancelling a service"), "overcharge": _l("Overcharge"),
        "unsubscribed_service": _l("Charged for a service I did not order"), "tariff_change": _l("Tariff change"),
        "promotion": _l("Promotion or marketing"), "refund": _l("Refund"), "coverage": _l("Coverage"),
        "outage": _l("Outage"), "speed": _l("Speed"), "spam": _l("Spam calls or messages"),
        "personal_information": _l("Personal information"), "other": _l("Other"),
    },
    # What happened, in a complaint's timeline (audit event actions).
    "action": {
        "submit": _l("Complaint filed"), "accept": _l("Accepted"), "reject": _l("Not accepted"),
        "request_info": _l("Information requested"), "provide_info": _l("Information provided"),
        "transfer": _l("Transferred to the operator"), "operator_reply": _l("Operator replied"),
        "supervise": _l("Placed under supervision"), "supervision_report": _l("Supervision report filed"),
        "mediate": _l("Mediation started"), "close": _l("Closed"), "withdraw": _l("Withdrawn"),
        "rate": _l("Handling rated"), "respond_settlement": _l("Answer to the proposed settlement"),
        "attach": _l("Evidence added"), "escalate": _l("Escalated"), "clock_due_soon": _l("Deadline due soon"),
        "clock_missed": _l("Deadline missed"), "deadline_recomputed": _l("Deadline recomputed"),
        "erase_personal_data": _l("Personal data erased (retention period over)"),
    },
    # Who did it: the complainant's page says "You"; staff pages name the role (`actor`), and
    # officers see user names, where the complainant and the scheduler carry these codes.
    "role": {"complainant": _l("You"), "officer": _l("Authority"), "operator": _l("Operator"),
             "system": _l("System"), "admin": _l("Administrator")},
    "actor": {"complainant": _l("Complainant"), "officer": _l("Authority"), "operator": _l("Operator"),
              "system": _l("System"), "scheduler": _l("System"), "admin": _l("Administrator")},
    "settlement": {"accepted": _l("You accepted the proposed settlement"),
                   "rejected": _l("You rejected the proposed settlement")},
    "staff_settlement": {"accepted": _l("accepted by the complainant"),
                         "rejected": _l("rejected by the complainant")},
    # --- complaints, as the staff read them ---
    "staff_status": {
        "submitted": _l("Submitted"), "accepted": _l("Accepted"), "rejected": _l("Rejected"),
        "awaiting_info": _l("Awaiting information"), "transferred": _l("Transferred to operator"),
        "operator_replied": _l("Operator replied"), "mediation": _l("Mediation"), "closed": _l("Closed"),
        "withdrawn": _l("Withdrawn"),
    },
    "escalation": {"officer": _l("Escalated to officers"), "head": _l("Escalated to the head")},
    # The button (and form title) of each action an officer or operator staff can take.
    "action_button": {
        "accept": _l("Accept"), "reject": _l("Reject"), "request_info": _l("Request information"),
        "provide_info": _l("Information received"), "transfer": _l("Transfer to the operator"),
        "supervise": _l("Supervise (督办)"), "mediate": _l("Start mediation"), "close": _l("Close"),
        "withdraw": _l("Withdraw on the complainant's behalf"), "operator_reply": _l("Send the reply"),
        "supervision_report": _l("File the supervision report"),
    },
    # How a complaint reached the authority.
    "received_via": {"web": _l("Web form"), "api": _l("API"), "letter": _l("Letter"), "phone": _l("Phone"),
                     "visit": _l("Visit")},
    # --- operators ---
    "hotline_kind": {"phone": _l("Phone"), "web": _l("Website"), "app": _l("App"), "wechat": _l("WeChat"),
                     "email": _l("Email"), "counter": _l("Service counter")},
    "licence_type": {"basic": _l("Basic telecom services"), "value_added": _l("Value-added telecom services")},
    "scope": {"national": _l("National (cross-regional)"), "provincial": _l("Provincial")},
    "operator_status": {"active": _l("Active"), "not_yet_valid": _l("Not yet valid"), "expired": _l("Expired"),
                        "suspended": _l("Suspended"), "revoked": _l("Revoked")},
    "sanction": {"suspended": _l("Suspended"), "revoked": _l("Revoked")},
    "survey_service": {"mobile": _l("Mobile"), "fixed": _l("Fixed line"), "broadband": _l("Broadband")},
    "operator_event": {"register": _l("Registered"), "edit": _l("Edited"), "subscribers": _l("Subscriber count"),
                       "status_derived": _l("Status updated from the licence dates"),
                       "deposit_deposit": _l("Deposit paid in"), "deposit_deduction": _l("Deposit deducted"),
                       "deposit_refund": _l("Deposit refunded"),
                       "hotlines_changed": _l("Hotlines changed")},
    # The fields an operator's history names in its before/after values.
    "operator_field": {
        "name": _l("Operator name"), "name_en": _l("English name"), "uscc": _l("Unified social credit code"),
        "licence_no": _l("Licence number"), "licence_type": _l("Licence type"), "scope": _l("Scope"),
        "province": _l("Province"), "licence_valid_from": _l("Licence valid from"),
        "licence_valid_until": _l("Licence valid until"), "sanction": _l("Sanction"), "status": _l("Status"),
        "quarter": _l("Quarter"), "subscribers": _l("Subscribers"), "hotlines": _l("Hotlines"),
    },
    # --- operator obligations ---
    "report_status": {"draft": _l("Draft"), "submitted": _l("Submitted"), "returned": _l("Returned for changes"),
                      "accepted": _l("Accepted")},
    "check_result": {"pass": _l("Pass"), "fail": _l("Fail"), "na": _l("Not applicable")},
    "report_metric": {"complaints_received": _l("Complaints received"),
                      "answered_in_time_share": _l("Share answered in time"),
                      "billing_error_rate": _l("Billing error rate"),
                      "retention_findings": _l("Retention findings")},
    "clause_status": {"filed": _l("Filed, awaiting review"), "accepted": _l("Accepted"),
                      "changes_requested": _l("Changes requested")},
    "sample_status": {"awaiting": _l("Awaiting production"), "complete": _l("Answered")},
    "coverage_bar": {"required": _l("Required window"), "held_month": _l("Month under a preservation hold"),
                     "held": _l("Days held"), "gap": _l("Missing days")},
    # --- the working-day calendar ---
    "day_kind": {"workday": _l("Workday"), "weekend": _l("Weekend"), "holiday": _l("Public holiday"),
                 "makeup_workday": _l("Make-up workday"), "override_holiday": _l("Override: day off"),
                 "override_workday": _l("Override: working day")},
    # --- the personal-data read log (oversight) ---
    "personal_field": {"name": _l("Name"), "phone": _l("Phone"), "email": _l("Email"), "address": _l("Address"),
                       "id_number": _l("ID number"), "attachment": _l("Evidence file")},
    "read_kind": {"view": _l("Opened the record"), "search": _l("Search matched"),
                  "attachment": _l("Downloaded evidence"), "export": _l("Exported (CSV)")},
    "read_channel": {"web": _l("Web page"), "api": _l("API")},
    "staff_role": {"officer": _l("Authority officer"), "operator": _l("Operator staff"), "admin": _l("Administrator"),
                   "oversight": _l("Oversight")},
}


def label_for(kind: str, code) -> str:
    """The translated label of a stored code; the code itself when no label is known."""
    if code is None:
        return ""
    label = LABELS.get(kind, {}).get(code, code)
    if not has_app_context():
        return str(label)
    # A queue page shows hundreds of labels: each is translated once per request and language.
    cache = g.setdefault("_labels", {})
    key = (str(get_locale()), kind, code)
    if key not in cache:
        cache[key] = str(label)
    return cache[key]


# --- legal citations -------------------------------------------------------------------------
# Officers read "[C 10]"; a citizen needs the law's name and the article in plain words.

LAW_NAMES = {
    "C": _l("Measures for Handling Telecommunications User Complaints"),
    "M": _l("Interim Measures for the Supervision of Telecommunications Service Quality"),
}
CITATION_RUN = re.compile(r"(?:\[[CM] \d+\]\s*)+")
CITATION = re.compile(r"\[([CM]) (\d+)\]")
DEFAULT_PERIOD = re.compile(r"\[default\]")
CITIZEN_BLUEPRINTS = ("public",)


def _articles(law: str, numbers: list[str]) -> str:
    if len(numbers) == 1:
        return _("Article %(num)s of the %(law)s", num=numbers[0], law=LAW_NAMES[law])
    # TRANSLATORS: "10, 13" — the numbers of several articles of one law.
    listed = _("%(first)s and %(last)s", first=_(", ").join(numbers[:-1]), last=numbers[-1])
    return _("Articles %(nums)s of the %(law)s", nums=listed, law=LAW_NAMES[law])


def plain_citations(codes: str) -> str:
    """"[C 10][C 13]" → "Articles 10 and 13 of the Measures for Handling …"."""
    by_law: dict[str, list[str]] = {}
    for law, number in CITATION.findall(codes):
        by_law.setdefault(law, []).append(number)
    return _("; ").join(_articles(law, numbers) for law, numbers in by_law.items())


def citizen_page() -> bool:
    return has_request_context() and request.blueprint in CITIZEN_BLUEPRINTS


def cite(text) -> str:
    """On a citizen's page, article codes in `text` become the law's name and article; staff
    pages keep the codes. Safe for messages that already are Markup (escaped first)."""
    if text is None or not citizen_page():
        return text
    was_markup = isinstance(text, Markup)
    text = str(text)
    leading = CITATION_RUN.match(text)
    if leading:  # "[C 10] Describe the facts…" → "Article 10 of the …: Describe the facts…"
        text = _("%(law)s: %(rule)s", law=plain_citations(leading.group(0)), rule=text[leading.end():])
    replaced = CITATION_RUN.sub(lambda m: f"({plain_citations(m.group(0))}) ", text)
    replaced = re.sub(r"\s+([。.，,])", r"\1", replaced).strip()
    return Markup(replaced) if was_markup else replaced


def legal_basis(source: str | None, citizen: bool | None = None) -> str:
    """A clock policy's stored legal source (e.g. "[M 16] 督办事宜报告 [default]") in the
    reader's language: the codes with the law's name, and what [default] means."""
    if not source:
        return ""
    citizen = citizen_page() if citizen is None else citizen
    parts = []
    for law, number in CITATION.findall(source):
        plain = _articles(law, [number])
        parts.append(plain if citizen else f"[{law} {number}] {plain}")
    if re.search(r"\[([CM])\]", source):
        # TRANSLATORS: a whole law cited by its name; Chinese puts it in 《》.
        parts += [_("The %(law)s", law=LAW_NAMES[law]) for law in re.findall(r"\[([CM])\]", source)]
    if "电信条例" in source:
        parts.append(_("Telecommunications Regulations of the People's Republic of China"))
    if DEFAULT_PERIOD.search(source):
        parts.append(_("the period is set by the administration (the regulations give no number)"))
    return _("; ").join(parts)

