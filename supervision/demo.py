"""Demonstration data for `flask --app wsgi demo load` (idempotent; prints the log-ins).

Everything goes through the real services (create_user, register_operator,
set_subscriber_count, file_complaint, perform), so the records are valid and audited.
Each record is looked up first (username, licence number, complaint description) and
only created when missing: a second run creates nothing and prints the same log-ins.

The operators carry real company names for realism, but their credit codes and licence
numbers are generated (make_uscc) and the provincial contact details, subscriber counts
and complainants are illustrative. Complaint history is dated backwards from `now`, so
the first deadline sweep finds missed clocks and escalates them.
"""
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from supervision.access.access_codes import hash_access_code
from supervision.access.models import NATIONAL, Role, User
from supervision.access.services import create_user
from supervision.audit import COMPLAINANT, Actor
from supervision.clock import local_date, local_tz
from supervision.complaints.deadlines import load_calendar
from supervision.complaints.intake import file_complaint
from supervision.complaints.models import Complaint
from supervision.complaints.rules import add_months
from supervision.complaints.transitions import perform
from supervision.extensions import db
from supervision.operators.models import Operator, SubscriberCount
from supervision.operators.rules import make_uscc
from supervision.operators.services import register_operator, set_subscriber_count

LOADER = Actor(None, "demo-loader", "system")
QUARTERS = ("2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3")
DEMO_EMAIL_DOMAIN = "demo.supervision.example"


def demo_password(username: str) -> str:
    """Readable, at least 10 characters, the same on every run: admin → Demo-admin-2026."""
    return f"Demo-{username.replace('.', '-')}-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    description: str
    display_name: str
    authority: str | None = None
    operator: str | None = None  # licence number
    publisher: bool = False
    head: bool = False
    credential: str | None = None


@dataclass(frozen=True)
class DemoOperator:
    name: str
    name_en: str
    region: str  # 6-digit division code of the seat, for the credit code
    seq: int
    licence_no: str
    licence_type: str
    province: str | None  # None: national (cross-regional) licence
    valid: tuple[date, date] | None  # None: expired at the end of last year
    phone: str
    web: str
    subscribers: dict[str, float] = field(default_factory=dict)  # province → millions in 2025Q3
    growth: float = 0.004  # per quarter


CMCC, UNICOM, CTC, BROADNET = "A1.A2-20090001", "A1.A2-20090002", "A1.A2-20090003", "A1.A2-20190004"
CLOUD, JSCABLE, WASU, GDCABLE = "B2-20230123", "苏B2-20190012", "浙B2-20180045", "粤B2-20170088"
JSISP, ZJEXPIRED = "苏B1.B2-20200031", "浙B2-20160077"
BASIC_TERM = (date(2019, 6, 6), date(2029, 6, 5))

OPERATORS = (
    DemoOperator("中国移动通信集团有限公司", "China Mobile", "110000", 101, CMCC, "basic", None, BASIC_TERM,
                 "10086", "https://www.10086.cn", {"32": 78.5, "33": 62.0, "44": 135.0}),
    DemoOperator("中国联合网络通信集团有限公司", "China Unicom", "110000", 102, UNICOM, "basic", None, BASIC_TERM,
                 "10010", "https://www.10010.com", {"32": 28.0, "33": 25.5, "44": 40.2}),
    DemoOperator("中国电信集团有限公司", "China Telecom", "110000", 103, CTC, "basic", None, BASIC_TERM,
                 "10000", "https://www.189.cn", {"32": 38.0, "33": 33.0, "44": 55.0}),
    DemoOperator("中国广播电视网络集团有限公司", "China Broadnet", "110000", 104, BROADNET, "basic", None,
                 BASIC_TERM, "10099", "https://www.10099.com.cn", {"32": 3.1, "33": 2.4, "44": 4.0}, 0.06),
    DemoOperator("云通达网络科技有限公司", "Yuntongda Network Technology (fictional)", "110000", 105, CLOUD,
                 "value_added", None, (date(2023, 3, 1), date(2028, 2, 29)), "400-820-1234",
                 "https://ytd.example.com/complaints", {"32": 0.8, "33": 0.5, "44": 1.2}, 0.02),
    DemoOperator("江苏省广电有线信息网络股份有限公司", "Jiangsu Broadcasting Cable Information Network", "320000",
                 106, JSCABLE, "value_added", "32", (date(2019, 8, 1), date(2029, 7, 31)), "96296",
                 "https://jscable.example.com/service", {"32": 16.0}, -0.005),
    DemoOperator("华数数字电视传媒集团有限公司", "Wasu Digital TV Media Group", "330100", 107, WASU,
                 "value_added", "33", (date(2018, 5, 1), date(2028, 4, 30)), "96371",
                 "https://wasu.example.com/service", {"33": 8.2}, -0.003),
    DemoOperator("广东省广播电视网络股份有限公司", "Guangdong Cable TV Network", "440000", 108, GDCABLE,
                 "value_added", "44", (date(2017, 9, 1), date(2027, 8, 31)), "96956",
                 "https://gdcable.example.com/service", {"44": 14.1}, -0.004),
    DemoOperator("南京紫金宽带网络有限公司", "Nanjing Zijin Broadband (fictional ISP)", "320100", 109, JSISP,
                 "value_added", "32", (date(2020, 4, 1), date(2030, 3, 31)), "025-8420-1234",
                 "https://zijin-broadband.example.com/help", {"32": 0.35}, 0.01),
    DemoOperator("杭州云帆宽带网络有限公司", "Hangzhou Yunfan Broadband (fictional, licence expired)", "330100",
                 110, ZJEXPIRED, "value_added", "33", None, "0571-8650-1234",
                 "https://yunfan.example.com/help"),
)

USERS = (
    DemoUser("admin", Role.ADMIN, "system administrator", "演示管理员"),
    DemoUser("officer.cn", Role.OFFICER, "MIIT (CN) officer, publisher", "工信部 · 赵立新", NATIONAL,
             publisher=True, credential="工信执-CN-0001"),
    DemoUser("officer.js", Role.OFFICER, "Jiangsu (32) officer", "江苏省通信管理局 · 张敏", "32",
             credential="苏通执-32-0107"),
    DemoUser("officer.js2", Role.OFFICER, "Jiangsu (32) officer, head of the authority", "江苏省通信管理局 · 陈涛",
             "32", head=True, credential="苏通执-32-0021"),
    DemoUser("publisher.js", Role.OFFICER, "Jiangsu (32) officer, publisher", "江苏省通信管理局 · 刘洋", "32",
             publisher=True, credential="苏通执-32-0044"),
    DemoUser("officer.zj", Role.OFFICER, "Zhejiang (33) officer", "浙江省通信管理局 · 王芳", "33",
             credential="浙通执-33-0068"),
    DemoUser("officer.gd", Role.OFFICER, "Guangdong (44) officer", "广东省通信管理局 · 黄志强", "44",
             credential="粤通执-44-0093"),
    DemoUser("oversight", Role.OVERSIGHT, "oversight (reports against officers)", "纪检监督 · 演示账号"),
    DemoUser("staff.cmcc", Role.OPERATOR, "operator staff, China Mobile", "中国移动 · 客服督办", operator=CMCC),
    DemoUser("staff.ctc", Role.OPERATOR, "operator staff, China Telecom", "中国电信 · 客服督办", operator=CTC),
    DemoUser("staff.jscable", Role.OPERATOR, "operator staff, Jiangsu cable", "江苏有线 · 客服督办",
             operator=JSCABLE),
    DemoUser("staff.wasu", Role.OPERATOR, "operator staff, Wasu (Zhejiang)", "华数 · 客服督办", operator=WASU),
)

# --- complaints ------------------------------------------------------------------------------
# A step is (days before now, action, actor username or "complainant", params). Filing is the
# first step: "file" (public web form) or "letter" (an officer records a letter received then).


@dataclass(frozen=True)
class DemoComplaint:
    province: str
    operator: str
    category: str
    subcategory: str
    description: str  # unique: it is how a second run finds the complaint again
    request: str
    steps: tuple
    disputed_back: tuple[int, ...] = ()  # disputed months, counted back from the month received
    operator_answer: str = "dissatisfied"
    tracking_code: str | None = None  # demo only: a known access code so tracking can be tried


COMPLAINTS = (
    DemoComplaint("32", CMCC, "network", "coverage", "家中室内手机信号长期只有一格，通话经常中断，已向营业厅反映未解决。",
                  "尽快改善小区室内覆盖", (("file", 1),), operator_answer="none"),
    DemoComplaint("32", CTC, "billing", "overcharge", "连续两个月账单出现未使用的国际漫游流量费，共计186元。",
                  "退还多收费用186元", (("file", 10), ("accept", 9, "officer.js"), ("transfer", 7, "officer.js")),
                  disputed_back=(2, 1)),
    DemoComplaint("32", JSCABLE, "service", "quality_of_service", "来信反映：有线电视信号频繁中断，报修后维修人员三次未按约上门。",
                  "按约上门维修并减免故障期间费用", (("letter", 12, "officer.js"),)),
    DemoComplaint("32", CMCC, "billing", "unsubscribed_service", "账单中出现从未订购的视频会员增值业务，每月扣费25元。",
                  "退订并退还全部扣费", (("file", 26), ("accept", 25, "officer.js"), ("transfer", 24, "officer.js")),
                  disputed_back=(1,)),
    DemoComplaint("32", JSCABLE, "network", "speed", "办理的500M宽带晚间实测速率不足50M，多次报修未改善。",
                  "达到合同约定速率或降档退费",
                  (("file", 20), ("accept", 19, "officer.js"), ("transfer", 18, "officer.js"),
                   ("operator_reply", 8, "staff.jscable", {"reply": "经检测为小区分光器故障，已更换设备。",
                                                           "proposed_settlement": "减免一个月宽带月租费"})),
                  tracking_code="TRACKME234"),
    DemoComplaint("32", CTC, "service", "cancellation", "申请销户时营业厅要求先缴纳违约金，合约期已于上月结束。",
                  "无违约金办理销户",
                  (("file", 45), ("accept", 44, "officer.js"), ("transfer", 43, "officer.js"),
                   ("operator_reply", 36, "staff.ctc", {"reply": "经核实合约已到期，已为用户免违约金销户。"}),
                   ("close", 34, "officer.js", {"outcome": "resolved", "note": "企业已按诉求办理。"}),
                   ("rate", 33, "complainant", {"score": 5, "comment": "处理及时"}))),
    DemoComplaint("32", CMCC, "network", "outage", "所在村庄移动网络中断一周，企业答复将尽快处理但至今未恢复。",
                  "尽快恢复网络并说明原因",
                  (("file", 25), ("accept", 24, "officer.js"), ("transfer", 23, "officer.js"),
                   ("supervise", 10, "officer.js", {"note": "网络中断影响面广，督办企业限期报告处理情况。"}))),
    DemoComplaint("32", CMCC, "service", "contract", "营业员办理套餐变更时口头承诺的优惠未写入协议，现按原价收费。",
                  "按承诺优惠执行", (("file", 8), ("accept", 7, "officer.js"),
                                     ("request_info", 6, "officer.js", {"note": "请补充业务受理单或协议的照片。"})),
                  tracking_code="TRACKME567"),
    DemoComplaint("33", WASU, "billing", "tariff_change", "未经通知将数字电视基本收视费由每月25元上调至30元。",
                  "恢复原资费并退还差价",
                  (("file", 15), ("accept", 14, "officer.zj"), ("transfer", 13, "officer.zj"),
                   ("operator_reply", 6, "staff.wasu", {"reply": "资费调整已于营业厅公告，不同意退还。"}),
                   ("mediate", 2, "officer.zj", {"note": "双方分歧较大，安排调解。"})), disputed_back=(1,)),
    DemoComplaint("33", CMCC, "network", "spam", "每天收到多条营销短信，回复退订后仍继续发送。",
                  "停止发送营销短信", (("file", 3), ("accept", 2, "officer.zj"))),
    DemoComplaint("33", CTC, "service", "staff_conduct", "装维人员上门服务态度恶劣并拒绝出示工牌。",
                  "企业道歉并处理相关人员",
                  (("file", 6), ("reject", 5, "officer.zj",
                                 {"reason": "该争议已由消费者协会调解处理完毕，依据《电信用户申诉处理办法》第十一条不予受理。"}))),
    DemoComplaint("44", GDCABLE, "service", "quality_of_service", "电话反映：机顶盒故障报修后超过十天无人处理。",
                  "尽快更换机顶盒", (("letter", 9, "officer.gd"),)),
    DemoComplaint("44", UNICOM, "billing", "promotion", "参加“存费送机”活动后，赠送话费未按月返还。",
                  "按活动规则返还话费",
                  (("file", 40), ("accept", 39, "officer.gd"), ("transfer", 38, "officer.gd"),
                   ("close", 10, "officer.gd", {"outcome": "partly_resolved", "note": "企业返还部分话费。"})),
                  disputed_back=(2,)),
    DemoComplaint("44", BROADNET, "network", "coverage", "新办的广电5G号码在单位内无法使用数据业务。",
                  "解决室内覆盖问题",
                  (("file", 5), ("withdraw", 4, "complainant", {"note": "企业已上门处理，问题解决，撤回申诉。"}))),
    DemoComplaint("44", CTC, "network", "speed", "光纤宽带每天晚高峰频繁掉线，影响居家办公。",
                  "排查线路并保障网络稳定", (("file", 5),), operator_answer="none"),
)


def load_demo(now: datetime, echo=print) -> list[tuple[str, str, str]]:
    """Create whatever demo record is missing; return (username, password, description) per log-in."""
    users, operators = load_demo_reference(now, echo)
    _ensure_complaints(operators, users, now, echo)
    from supervision.demo_supervision import ensure_supervision_demo

    ensure_supervision_demo(users, operators, CMCC, JSCABLE, now, echo)

    from supervision.obligations.demo import load_obligations_demo

    load_obligations_demo({"jscable": operators[JSCABLE], "cmcc": operators[CMCC]}, users, now, echo)
    return [(u.username, demo_password(u.username), u.description) for u in USERS]


def load_demo_reference(now: datetime, echo=print) -> tuple[dict[str, User], dict[str, Operator]]:
    """The part of the demo other data hangs on: users, operators and their subscriber counts
    (what `demo generate` and the benchmarks need), without the played complaints, inspections
    and obligations of `load_demo`."""
    users = _ensure_users([u for u in USERS if u.role != Role.OPERATOR], now, echo, "users")
    admin = users["admin"]
    operators = _ensure_operators(admin, now, local_date(now), echo)
    _ensure_subscriber_counts(operators, admin, now, echo)
    staff = [u for u in USERS if u.role == Role.OPERATOR]
    users |= _ensure_users(staff, now, echo, "operator staff", operators)
    return users, operators


def _ensure_users(specs, now, echo, label: str, operators=None) -> dict[str, User]:
    found, created = {}, 0
    for spec in specs:
        user = db.session.scalar(select(User).where(User.username == spec.username))
        if user is None:
            operator_id = operators[spec.operator].id if spec.operator else None
            user = create_user(spec.username, demo_password(spec.username), spec.role, now,
                               authority=spec.authority, operator_id=operator_id, publisher=spec.publisher,
                               head=spec.head, credential=spec.credential, display_name=spec.display_name,
                               email=f"{spec.username}@{DEMO_EMAIL_DOMAIN}", actor=LOADER)
            created += 1
        found[spec.username] = user
    echo(f"{label}: {len(found)} ({created} new)")
    return found


def _licence_term(spec: DemoOperator, today: date) -> tuple[date, date]:
    if spec.valid is not None:
        return spec.valid
    until = date(today.year - 1, 12, 31)  # expired, whatever day the demo is loaded
    return date(until.year - 5, 1, 1), until


def _ensure_operators(admin: User, now, today, echo) -> dict[str, Operator]:
    found, created = {}, 0
    for spec in OPERATORS:
        operator = db.session.scalar(select(Operator).where(Operator.licence_no == spec.licence_no))
        if operator is None:
            valid_from, valid_until = _licence_term(spec, today)
            values = {"name": spec.name, "name_en": spec.name_en, "uscc": make_uscc(spec.region, spec.seq),
                      "licence_no": spec.licence_no, "licence_type": spec.licence_type,
                      "scope": "provincial" if spec.province else "national", "province": spec.province,
                      "licence_valid_from": valid_from, "licence_valid_until": valid_until, "sanction": None,
                      "hotlines": [{"kind": "phone", "number": spec.phone, "label": "投诉热线 complaint hotline"},
                                   {"kind": "web", "number": spec.web, "label": "网上营业厅 online service"}]}
            operator = register_operator(values, admin, now, today)
            created += 1
        found[spec.licence_no] = operator
    echo(f"operators: {len(found)} ({created} new)")
    return found


def _ensure_subscriber_counts(operators, admin: User, now, echo) -> None:
    total, created = 0, 0
    for spec in OPERATORS:
        operator = operators[spec.licence_no]
        for province, millions in spec.subscribers.items():
            for i, quarter in enumerate(QUARTERS):
                total += 1
                exists = db.session.scalar(select(SubscriberCount.id).filter_by(
                    operator_id=operator.id, province=province, quarter=quarter))
                if exists is None:
                    subscribers = round(millions * 1_000_000 * (1 + spec.growth) ** i, -3)
                    set_subscriber_count(operator, province, quarter, int(subscribers), admin, now)
                    created += 1
    echo(f"subscriber counts: {total} ({created} new)")


def _ensure_complaints(operators, users, now, echo) -> None:
    calendar, created = load_calendar(), 0
    for n, spec in enumerate(COMPLAINTS, start=1):
        complaint = db.session.scalar(select(Complaint).where(Complaint.description == spec.description))
        if complaint is None:
            complaint = _play(spec, n, operators, users, now, calendar)
            created += 1
        if spec.tracking_code:
            echo(f"complainant tracking: reference {complaint.reference}, access code {spec.tracking_code} "
                 f"({complaint.status})")
    echo(f"complaints: {len(COMPLAINTS)} ({created} new); the deadline sweep (every few minutes, or "
         "`flask --app wsgi jobs run deadline_sweep`) marks the missed clocks and escalates them")


def _moment(now: datetime, days_back: int, step: int, calendar) -> datetime:
    """A past office-hours moment on a working day, later for later steps of the same day."""
    day = local_date(now) - timedelta(days=days_back)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time(9 + step, 30), tzinfo=local_tz()).astimezone(UTC)


def _play(spec: DemoComplaint, n: int, operators, users, now, calendar) -> Complaint:
    """File the complaint as it happened, then perform its history in order."""
    kind, days_back, *filer = spec.steps[0]
    received_at = _moment(now, days_back, 0, calendar)
    data = _complaint_data(spec, n, operators[spec.operator].id, local_date(received_at))
    if kind == "letter":  # an officer records, today, a letter received earlier; clocks run from then
        complaint, _ = file_complaint(data | {"received_at": received_at}, users[filer[0]], now, "letter")
    else:
        complaint, _ = file_complaint(data, None, received_at, "web")
    if spec.tracking_code:
        # Demo only: a known access code so the complainant's view can be tried; real codes are random.
        complaint.access_code_hash = hash_access_code(spec.tracking_code)
    for index, (action, days, who, *params) in enumerate(spec.steps[1:], start=1):
        actor = COMPLAINANT if who == "complainant" else Actor.of(users[who])
        perform(complaint, action, dict(params[0]) if params else {}, actor,
                _moment(now, days, index, calendar))
    return complaint


def _complaint_data(spec: DemoComplaint, n: int, operator_id: int, received_on: date) -> dict:
    # Fictional complainants: never real people, numbers or addresses.
    return {"operator_id": operator_id, "province": spec.province, "category": spec.category,
            "subcategory": spec.subcategory, "description": spec.description, "request": spec.request,
            "event_date": received_on - timedelta(days=45),
            # "none": the operator's 15-day answer period [C 10] has long run out.
            "operator_complaint_date": received_on - timedelta(days=30 if spec.operator_answer == "none"
                                                               else 20),
            "operator_answer": spec.operator_answer,
            "disputed_months": [f"{add_months(received_on, -k):%Y-%m}" for k in spec.disputed_back],
            "complainant": {"name": f"演示用户{n:02d}", "phone": f"1380000{n:04d}",
                            "email": f"complainant{n:02d}@{DEMO_EMAIL_DOMAIN}",
                            "address": f"示例路{n}号（虚构地址）"}}
