"""Bulk demonstration data at scale: `flask --app wsgi demo generate --complaints N --surveys M`.

For benchmarks and capacity checks (issue 10): a million complaints in a few minutes on SQLite
and PostgreSQL. Unlike `demo load`, rows are written with bulk INSERTs (SQLAlchemy Core, in
chunks), not through the services, so they carry no audit history; everything else is shaped
like real data:
- operators and provinces in proportion to the demo operators' subscribers (demo.OPERATORS);
- categories billing 40 %, service 35 %, network 25 %; received over the last two years,
  more of them recently;
- states by age: the last weeks still open (submitted → mediation), older ones mostly closed,
  some rejected or withdrawn;
- the acceptance and answer clocks computed by the real calendar and policies, their states as
  the sweep would have left them at `now` (missed, due soon, pending, met), ~6 % answered late;
- survey responses: the deterministic demo survey (surveys/demo_data.py) for the last quarters.
Everything is fictional: names, phone numbers and texts are generated.
"""
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert, select, text

from supervision.access.access_codes import hash_access_code
from supervision.clock import local_date, local_tz
from supervision.complaints.models import CATEGORIES, Complaint, Deadline
from supervision.extensions import db
from supervision.operators.models import Operator
from supervision.workflow.deadlines import compute_due, load_calendar, load_policies

CHUNK = 5_000
DAYS = 730
CATEGORY_WEIGHTS = {"billing": 0.40, "service": 0.35, "network": 0.25}
# Share of complaints by state once they are older than a few weeks.
SETTLED = (("closed", 0.86), ("rejected", 0.09), ("withdrawn", 0.05))
OPEN_STATES = ("submitted", "accepted", "transferred", "operator_replied", "mediation")
LATE_ANSWER_SHARE = 0.06
CHANNELS = (("web", 0.62), ("api", 0.13), ("phone", 0.15), ("letter", 0.08), ("visit", 0.02))
FACTS = ("账单出现未使用的流量费用", "室内信号弱、通话中断", "报修后未按约上门", "被开通未订购的增值业务",
         "宽带速率达不到合同约定", "携号转网被无故拒绝", "营业厅人员态度恶劣", "套餐变更未告知")
DEMO_ACCESS_CODE = "DEMOGENCODE"


@dataclass(frozen=True)
class Cell:
    operator_id: int
    province: str
    weight: float


def market_cells() -> list[Cell]:
    """(operator, province) weighted by subscribers: the demo operators whose licence is valid."""
    from supervision.demo import OPERATORS

    by_licence = {op.licence_no: op for op in db.session.scalars(select(Operator))}
    cells = [Cell(by_licence[spec.licence_no].id, province, millions)
             for spec in OPERATORS if spec.valid and spec.licence_no in by_licence
             for province, millions in spec.subscribers.items()]
    if not cells:
        raise LookupError("no demo operators: run `flask --app wsgi demo load` first")
    return cells


class ClockTable:
    """Due dates and explanations per (clock, start day), computed by the real calendar and
    policies before the bulk insert starts: two million clocks need ~1,500 computations."""

    def __init__(self, today: date):
        calendar = load_calendar()
        policies = load_policies("acceptance", "answer")  # held: the session's references are weak
        self._table: dict[tuple[str, date], tuple[date, bool, dict]] = {}
        for clock in (p.name for p in policies):
            for age in range(DAYS + 1):
                start = today - timedelta(days=age)
                computed = compute_due(clock, start, calendar)
                self._table[(clock, start)] = (computed.due, computed.provisional, computed.explanation)

    def due(self, clock: str, start: date) -> tuple[date, bool, dict]:
        return self._table[(clock, start)]


def generate(n_complaints: int, n_surveys: int, now: datetime, seed: int = 2026,
             progress: Callable[[int], None] = lambda n: None) -> dict:
    """Bulk-insert `n_complaints` complaints with their two clocks and `n_surveys` survey responses."""
    rng = random.Random(seed)
    cells = market_cells()
    clocks = ClockTable(local_date(now))
    code_hash = hash_access_code(DEMO_ACCESS_CODE)
    db.session.commit()  # SQLite: nothing may hold the write lock while the Core inserts run
    first_id = (db.session.scalar(select(func.max(Complaint.id))) or 0) + 1
    db.session.commit()
    rows = _complaint_rows(rng, cells, now, n_complaints, first_id, code_hash)
    with db.engine.begin() as conn:
        for chunk in _chunks(rows, CHUNK):
            conn.execute(insert(Complaint.__table__), [complaint for complaint, _ in chunk])
            conn.execute(insert(Deadline.__table__),
                         [d for complaint, states in chunk for d in _clock_rows(complaint, states, clocks, now)])
            progress(len(chunk))
        _advance_sequence(conn, "complaints")
    surveyed = generate_surveys(n_surveys, now, progress) if n_surveys else 0
    analyze()
    return {"complaints": n_complaints, "clocks": 2 * n_complaints, "survey_responses": surveyed}


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def _complaint_rows(rng: random.Random, cells: list[Cell], now: datetime, n: int, first_id: int,
                    code_hash: str) -> Iterator[tuple[dict, tuple[str, str]]]:
    today = local_date(now)
    cum = list(itertools.accumulate(c.weight for c in cells))
    categories, category_weights = zip(*CATEGORY_WEIGHTS.items(), strict=True)
    channels, channel_weights = zip(*CHANNELS, strict=True)
    serials: dict[tuple[str, date], int] = {}
    for i in range(n):
        cell = rng.choices(cells, cum_weights=cum)[0]
        # More complaints recently: ages drawn from a triangular law peaking at today.
        age = int(rng.triangular(0, DAYS, 0))
        received_on = today - timedelta(days=age)
        received = datetime.combine(received_on, time(8 + rng.randrange(12), rng.randrange(60)),
                                    local_tz()).astimezone(UTC)
        received = min(received, now)
        category = rng.choices(categories, category_weights)[0]
        serial = serials[(cell.province, received_on)] = serials.get((cell.province, received_on), 0) + 1
        status = _status(rng, age)
        closed = status in ("closed", "rejected", "withdrawn")
        event_on = received_on - timedelta(days=20 + rng.randrange(60))
        row = {
            "id": first_id + i, "reference": f"TS-{cell.province}-{received_on:%Y%m%d}-{serial:06d}",
            "access_code_hash": code_hash, "operator_id": cell.operator_id, "province": cell.province,
            "authority_code": cell.province, "category": category,
            "subcategory": rng.choice(CATEGORIES[category]),
            "description": f"{rng.choice(FACTS)}（基站 {station_code(i)}，生成数据 #{i + 1}）", "request": "请依法处理",
            "operator_complaint_date": received_on - timedelta(days=16 + rng.randrange(10)),
            "operator_answer": rng.choice(("none", "dissatisfied")), "event_date": event_on,
            "disputed_months": [f"{event_on:%Y-%m}"] if category == "billing" else [],
            "channel": rng.choices(channels, channel_weights)[0], "received_at": received,
            "complainant_name": generated_name(i), "complainant_phone": generated_phone(i),
            "status": status, "supervised": status == "closed" and rng.random() < 0.04,
            "outcome": rng.choice(("resolved", "resolved", "partly_resolved", "unresolved")) if status == "closed"
            else None,
            "rating_score": _score(rng) if status == "closed" and rng.random() < 0.3 else None,
            "closed_at": received + timedelta(days=5 + rng.randrange(35)) if closed else None,
            "created_at": received, "updated_at": received,
        }
        late = rng.random() < LATE_ANSWER_SHARE
        yield row, ("met", "missed" if late and status == "closed" else "met") if closed else ("met", "running")


# Varied personal data and facts, so that a search has something to tell apart: a name is shared
# by about one complaint in 18,000, a phone and a base-station code belong to one complaint only.
SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞鹏辉宁"


def generated_name(i: int) -> str:
    return SURNAMES[i % 20] + GIVEN[i // 20 % 30] + GIVEN[i // 600 % 30]


def generated_phone(i: int) -> str:
    return f"1{3 + i % 7}{i * 7919 % 10**9:09d}"  # 7919 is prime to 10**9: unique per complaint


def station_code(i: int) -> str:
    return f"BS{i * 7927 % 10**7:07d}"


def _status(rng: random.Random, age: int) -> str:
    if age <= 5:
        return rng.choice(OPEN_STATES[:2])
    if age <= 40:
        return rng.choice(OPEN_STATES) if rng.random() < 0.6 else _settled(rng)
    return _settled(rng)


def _settled(rng: random.Random) -> str:
    states, weights = zip(*SETTLED, strict=True)
    return rng.choices(states, weights)[0]


def _score(rng: random.Random) -> int:
    return rng.choices((1, 2, 3, 4, 5), (0.08, 0.10, 0.20, 0.34, 0.28))[0]


def _clock_rows(complaint: dict, states: tuple[str, str], clocks: ClockTable, now: datetime) -> list[dict]:
    """The two clocks, in the state the sweep would have left them at `now`."""
    received_on, today = local_date(complaint["received_at"]), local_date(now)
    rows = []
    for clock, state in zip(("acceptance", "answer"), states, strict=True):
        due, provisional, explanation = clocks.due(clock, received_on)
        if clock == "acceptance" and complaint["status"] == "submitted":
            state = "running"
        if state == "running":
            state = "missed" if due < today else "due_soon" if (due - today).days <= 1 else "pending"
        stopped = complaint["closed_at"] if state in ("met", "missed") and complaint["closed_at"] else None
        if clock == "acceptance" and state == "met":
            stopped = complaint["received_at"] + timedelta(days=1)
        rows.append({"subject_type": "complaint", "subject_id": complaint["id"], "clock": clock,
                     "started_on": received_on, "due": due, "state": state, "provisional": provisional,
                     "paused_days": 0, "explanation": explanation, "stopped_at": stopped,
                     "escalated_at": None})
    return rows


def generate_surveys(n: int, now: datetime, progress: Callable[[int], None] = lambda n: None) -> int:
    """The demo survey (surveys/demo_data.py) over the last four ended quarters, bulk-inserted."""
    from supervision.publications.periods import last_ended_quarter
    from supervision.surveys.demo_data import demo_survey_rows
    from supervision.surveys.models import ITEMS, SurveyImport, SurveyResponse

    operators = dict(db.session.execute(select(Operator.licence_no, Operator.id)).all())
    db.session.commit()  # SQLite: release the write lock before the Core inserts take it
    quarter = last_ended_quarter(local_date(now))
    quarters = [quarter]
    for _ in range(3):
        quarters.append(quarters[-1].previous())
    inserted = 0
    with db.engine.begin() as conn:
        for k, period in enumerate(str(q) for q in quarters):
            rows = n // len(quarters) + (1 if k < n % len(quarters) else 0)
            import_id = conn.execute(insert(SurveyImport.__table__).returning(SurveyImport.id), {
                "filename": f"generated-{period}.csv", "sha256": "0" * 64, "rows": rows,
                "imported_by": None, "imported_at": now}).scalar_one()
            source = (dict(zip(("licence", "province", "service", "period", "respondent_id", *ITEMS), row,
                               strict=True)) for row in demo_survey_rows(period, rows, seed=7))
            for chunk in _chunks(source, CHUNK):
                for row in chunk:
                    row["operator_id"], row["import_id"] = operators[row.pop("licence")], import_id
                conn.execute(insert(SurveyResponse.__table__), chunk)
                inserted += len(chunk)
                progress(len(chunk))
    return inserted


def _advance_sequence(conn, table: str) -> None:
    """Ids were given explicitly (clocks need them before a RETURNING could say them):
    PostgreSQL's sequence must then move past them."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))


ANALYZED = ("complaints", "deadlines", "survey_responses")


def analyze() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would have them on a live system.
    Only the filled tables: a bare ANALYZE on PostgreSQL reads every table of every schema of the
    database (on a shared server, other people's too)."""
    with db.engine.begin() as conn:
        for table in ANALYZED:
            conn.execute(text(f"ANALYZE {table}"))
