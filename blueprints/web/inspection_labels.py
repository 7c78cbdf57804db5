"""Labels of the codes inspections, orders and penalties store, added to the one label table."""
from flask_babel import lazy_gettext as _l

from blueprints.web.labels import LABELS

LABELS.update({
    "inspection_type": {"onsite": _l("On-site inspection"), "mystery": _l("Mystery shopping (暗访)"),
                        "document": _l("Document review"), "billing_sample": _l("Billing-record sample")},
    "inspection_status": {"planned": _l("Planned"), "in_progress": _l("In progress"),
                          "draft_result": _l("Draft result: operator may reply"), "final": _l("Final result"),
                          "published": _l("Published"), "cancelled": _l("Cancelled")},
    "item_result": {"pass": _l("Pass"), "fail": _l("Fail"), "na": _l("Not applicable")},
    "order_status": {"issued": _l("Issued: awaiting the plan"), "plan_filed": _l("Plan filed"),
                     "completion_reported": _l("Completion reported: to verify"),
                     "reopened": _l("Reopened with a new deadline"), "closed": _l("Closed (rectified)")},
    "penalty_status": {"draft": _l("Draft: awaiting approval"), "approved": _l("Approved"),
                       "published": _l("Published")},
    "measure": {"warning": _l("Warning"), "fine": _l("Fine")},
    "inspection_action": {
        "start": _l("Start the inspection"), "issue_draft": _l("Issue the draft result"),
        "reply": _l("Send our reply"), "finalise": _l("Make the result final"), "publish": _l("Publish the result"),
        "correct": _l("Publish a correction"), "cancel": _l("Cancel the inspection"),
        "file_plan": _l("File the rectification plan"), "report_completion": _l("Report completion"),
        "verify": _l("Verified: close the order"), "reopen": _l("Not rectified: reopen with a new deadline"),
        "approve": _l("Approve the decision"),
        # Events on the timelines that are not steps of a workflow.
        "plan": _l("Planned"), "team": _l("Team changed"), "record_item": _l("Checklist item recorded"),
        "attach": _l("Evidence added"), "seal": _l("Records sealed"), "unseal": _l("Records released"),
        "issue": _l("Order issued"), "overdue": _l("Deadline missed"), "prepare": _l("Draft prepared"),
        "clock_due_soon": _l("Deadline near"), "clock_missed": _l("Deadline missed"),
    },
})
