"""The human labels of the codes the domain stores (statuses, clocks, categories, roles…).

One table for every page: templates call `label_for(kind, code)`, forms build their choices
from the same entries. Where the complainant and the staff need different words for the same
code, there are two kinds (`status` / `staff_status`, `role` / `actor`, `settlement` /
`staff_settlement`).
"""
from flask_babel import lazy_gettext as _l

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
              "operator_reply": _l("Operator's reply"), "supervision_report": _l("Report on the supervised matter")},
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
    "operator_event": {"register": _l("Registered"), "edit": _l("Edited"), "subscribers": _l("Subscriber count"),
                       "status_derived": _l("Status updated from the licence dates"),
                       "deposit_deposit": _l("Deposit paid in"), "deposit_deduction": _l("Deposit deducted"),
                       "deposit_refund": _l("Deposit refunded")},
    # The fields an operator's history names in its before/after values.
    "operator_field": {
        "name": _l("Operator name"), "name_en": _l("English name"), "uscc": _l("Unified social credit code"),
        "licence_no": _l("Licence number"), "licence_type": _l("Licence type"), "scope": _l("Scope"),
        "province": _l("Province"), "licence_valid_from": _l("Licence valid from"),
        "licence_valid_until": _l("Licence valid until"), "sanction": _l("Sanction"), "status": _l("Status"),
        "quarter": _l("Quarter"), "subscribers": _l("Subscribers"),
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
}


def label_for(kind: str, code) -> str:
    """The translated label of a stored code; the code itself when no label is known."""
    if code is None:
        return ""
    return str(LABELS.get(kind, {}).get(code, code))
