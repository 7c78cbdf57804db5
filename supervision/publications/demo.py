"""Demo: complaints and surveys of the last two ended quarters and their published figures
(`flask demo publish`, run by `make run` after `demo load`).

Everything goes through the services: complaints are filed, accepted and closed; each
publication is prepared by one Jiangsu officer and approved by another (four-eyes), so the
home page shows real published figures at once. Idempotent: found records are not made again.
"""
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from supervision.audit import Actor
from supervision.clock import local_date, local_tz
from supervision.complaints.intake import file_complaint
from supervision.complaints.models import Complaint
from supervision.complaints.transitions import perform as perform_complaint
from supervision.extensions import db
from supervision.publications.periods import Quarter, last_ended_quarter
from supervision.publications.services import latest_version, perform, prepare_series

PROVINCE = "32"
PREPARER, PUBLISHER, HANDLER = "officer.js", "publisher.js", "officer.js2"
KINDS = ("complaint_statistics", "satisfaction_index")
# Enough respondents that most Jiangsu cells pass the methodology's minimum n (100) and a few do not.
SURVEY_ROWS = 9000
# Complaints per operator (licence number) per quarter, varied so the rates differ.
VOLUME = {"A1.A2-20090001": (14, 11), "A1.A2-20090003": (9, 10), "A1.A2-20090002": (4, 6),
          "苏B2-20190012": (5, 3), "苏B1.B2-20200031": (1, 2)}
TOPICS = (("billing", "overcharge", "账单出现未使用的流量费用"), ("network", "coverage", "室内信号弱、通话中断"),
          ("service", "quality_of_service", "报修后未按约上门"), ("billing", "unsubscribed_service", "被开通未订购的增值业务"),
          ("network", "speed", "宽带速率达不到合同约定"))


def publish_demo_quarters(now: datetime, echo=print) -> None:
    """The demo operators and officers of `demo load` (which must have run) publish two quarters."""
    from supervision.access.models import User
    from supervision.operators.models import Operator

    operators = {op.licence_no: op for op in db.session.scalars(select(Operator).where(Operator.licence_no.in_(VOLUME)))}
    users = {u.username: u for u in db.session.scalars(select(User).where(
        User.username.in_((PREPARER, PUBLISHER, HANDLER))))}
    if len(operators) < len(VOLUME) or len(users) < 3:
        raise SystemExit("run `flask --app wsgi demo load` first: the demo operators and officers are missing")
    ensure_published_quarters(operators, users, now, echo)


def ensure_published_quarters(operators, users, now: datetime, echo) -> None:
    latest = last_ended_quarter(local_date(now))
    quarters = [latest.previous(), latest]
    filed = sum(_ensure_quarter_complaints(q, i, operators, users, now) for i, q in enumerate(quarters))
    surveyed = sum(_ensure_survey(str(q), now) for q in quarters)
    published = 0
    for quarter in quarters:
        for kind in KINDS:
            published += _ensure_publication(kind, str(quarter), users, now)
    echo(f"published quarters: {', '.join(map(str, quarters))} for Jiangsu (32) ({filed} complaints, "
         f"{surveyed} survey responses and {published} publications new; prepared by {PREPARER}, "
         f"approved by {PUBLISHER})")


def _ensure_survey(period: str, now: datetime) -> int:
    """Import the generated demo survey file of `period` (as `flask surveys import` would)."""
    import io

    from supervision.surveys.demo_data import write_demo_survey
    from supervision.surveys.imports import import_survey_file
    from supervision.surveys.models import SurveyResponse

    if db.session.scalar(select(SurveyResponse.id).where(SurveyResponse.period == period).limit(1)):
        return 0
    text = io.StringIO()
    write_demo_survey(text, period, SURVEY_ROWS)
    imported = import_survey_file(io.BytesIO(text.getvalue().encode()), f"demo-survey-{period}.csv", None, now)
    return imported.rows


def _moment(quarter: Quarter, day: int, hour: int) -> datetime:
    return datetime.combine(quarter.first_day + timedelta(days=day), time(hour, 15), tzinfo=local_tz()).astimezone(UTC)


def _ensure_quarter_complaints(quarter: Quarter, column: int, operators, users, now) -> int:
    made, handler = 0, Actor.of(users[HANDLER])
    for licence, counts in VOLUME.items():
        operator = operators[licence]
        for n in range(counts[column]):
            category, subcategory, text = TOPICS[(n + len(licence)) % len(TOPICS)]
            description = f"{text}（{quarter} 演示统计申诉 {licence} #{n + 1}）"
            if db.session.scalar(select(Complaint.id).where(Complaint.description == description)):
                continue
            received = _moment(quarter, 3 + (n * 6) % 80, 10)
            received_on = local_date(received)
            data = {"operator_id": operator.id, "province": PROVINCE, "category": category,
                    "subcategory": subcategory, "description": description, "request": "请依法处理",
                    "event_date": received_on - timedelta(days=30),
                    "disputed_months": [f"{received_on - timedelta(days=30):%Y-%m}"] if category == "billing" else [],
                    "operator_complaint_date": received_on - timedelta(days=20), "operator_answer": "dissatisfied",
                    # Fictional complainants: never real people, numbers or addresses.
                    "complainant": {"name": f"统计演示用户{n:02d}", "phone": f"1390000{n:04d}", "email": None,
                                    "address": "示例路（虚构地址）"}}
            complaint, _ = file_complaint(data, None, received, "web")
            perform_complaint(complaint, "accept", {}, handler, received + timedelta(days=1))
            perform_complaint(complaint, "close", {"outcome": ("resolved", "partly_resolved")[n % 2],
                                                   "note": "企业已处理。"}, handler, received + timedelta(days=9 + n % 25))
            made += 1
    return made


def _ensure_publication(kind: str, period: str, users, now) -> int:
    if latest_version(kind, period, PROVINCE) is not None:
        return 0
    draft, _ = prepare_series(kind, period, PROVINCE, Actor.of(users[PREPARER]), now)
    perform(draft, "approve", {"note": "演示：复核无误，同意发布。"}, Actor.of(users[PUBLISHER]), now)
    return 1
STATISTICS_COMPLAINTS = sum(sum(counts) for counts in VOLUME.values())
