"""Every deadline carries its explanation, told in words (SPEC §3): these are the exact texts an
officer, an operator and a complainant read. Each case was checked by hand against the State
Council notices (/work/shared/data/china-holidays-2025-2026.md); a change of wording must be
made here on purpose, never by accident.
"""
from datetime import date

import pytest

from supervision.calendar import DueDate, WorkingCalendar, describe, holiday_name

D = date.fromisoformat

CASES = {
    # Fri 13 Feb 2026 + 5 working days + 2 paused: Sat 14 (make-up), holiday 15–23, Tue 24 … Fri 27,
    # Sat 28 (make-up), Sun 1 Mar skipped, Mon 2 Mar.
    "a pause across the Spring Festival with make-up workdays": (
        WorkingCalendar(), "2026-02-13", 5, "working", 2,
        "Due 2026-03-02: 5 working days after 2026-02-13 (the starting day itself is not counted). "
        "The period was extended by 2 working days while the clock was paused awaiting information. "
        "Skipped 1 weekend day and 9 public holidays (Spring Festival). Counted 2 make-up workdays "
        "(2026-02-14 Sat, 2026-02-28 Sat): weekend days that officially become working days around a "
        "public holiday (调休).",
        "截止日期：2026-03-02。自2026-02-13起计算5个工作日（期间开始之日不计算在内）。因等待补充材料暂停计时，"
        "期间顺延2个工作日。跳过周末1天、法定节假日9天（春节）。计入调休上班日2天（2026-02-14 周六、2026-02-28 周六）。"),
    # 1 Sep + 30 = Thu 1 Oct, National Day (1–7 Oct): the period ends on Thu 8 Oct.
    "a calendar period ending in the National Day holiday": (
        WorkingCalendar(), "2026-09-01", 30, "calendar", 0,
        "Due 2026-10-08: 30 calendar days after 2026-09-01 (the starting day itself is not counted). "
        "The last day, 2026-10-01 Thu, is not a working day, so the deadline moves to the next working day, "
        "skipping 7 public holidays (National Day).",
        "截止日期：2026-10-08。自2026-09-01起计算30日（期间开始之日不计算在内）。期间届满的最后一日（2026-10-01 周四）"
        "不是工作日，以其后的第一个工作日为期间届满的日期（跳过法定节假日7天（国庆节））。"),
    "a calendar period with paused days": (
        WorkingCalendar(), "2026-11-26", 30, "calendar", 5,
        "Due 2026-12-31: 30 calendar days after 2026-11-26 (the starting day itself is not counted). "
        "The period was extended by 5 calendar days while the clock was paused awaiting information.",
        "截止日期：2026-12-31。自2026-11-26起计算30日（期间开始之日不计算在内）。因等待补充材料暂停计时，期间顺延5日。"),
    # Thu 26 Nov: Fri 27, Mon 30, (Tue 1 closed by the regulator), Wed 2, Thu 3, Fri 4. The make-up
    # Saturday 5 Dec lies after the due date, so it is not named.
    "a day the regulator closed": (
        WorkingCalendar({D("2026-12-01"): False, D("2026-12-05"): True}), "2026-11-26", 5, "working", 0,
        "Due 2026-12-04: 5 working days after 2026-11-26 (the starting day itself is not counted). "
        "Skipped 2 weekend days and 1 day the regulator declared non-working. "
        "The regulator's calendar adjustments apply to 2026-12-01.",
        "截止日期：2026-12-04。自2026-11-26起计算5个工作日（期间开始之日不计算在内）。跳过周末2天、监管机构调整的休息日1天。"
        "适用监管机构调整的日期：2026-12-01。"),
    # 2027's schedule is not published: Mon–Fri assumed (SPEC §3), 1 Jan included, and said so.
    "a period reaching a year without a published schedule": (
        WorkingCalendar(), "2026-12-28", 5, "working", 0,
        "Due 2027-01-04: 5 working days after 2026-12-28 (the starting day itself is not counted). "
        "Skipped 2 weekend days. Provisional: the official holiday schedule for 2027 has not been published "
        "yet, so Monday to Friday were assumed to be working days; the date may change.",
        "截止日期：2027-01-04。自2026-12-28起计算5个工作日（期间开始之日不计算在内）。跳过周末2天。"
        "暂定：2027年的节假日安排尚未公布，暂按周一至周五为工作日计算，截止日期可能调整。"),
    # A long period from late 2027 into 2028: neither year's schedule is published, and both are named.
    "a period across two years without a published schedule": (
        WorkingCalendar(), "2027-12-30", 3, "working", 0,
        "Due 2028-01-04: 3 working days after 2027-12-30 (the starting day itself is not counted). "
        "Skipped 2 weekend days. Provisional: the official holiday schedule for 2027, 2028 has not been "
        "published yet, so Monday to Friday were assumed to be working days; the date may change.",
        "截止日期：2028-01-04。自2027-12-30起计算3个工作日（期间开始之日不计算在内）。跳过周末2天。"
        "暂定：2027、2028年的节假日安排尚未公布，暂按周一至周五为工作日计算，截止日期可能调整。"),
    # Fri 26 Dec 2025 + 40 working days: New Year's Day 1–3 Jan (Sun 4 Jan worked), Spring Festival
    # 15–23 Feb (Sat 14 and Sat 28 Feb worked): 12 holiday days of two holidays, named in date order.
    "a period across two holidays": (
        WorkingCalendar(), "2025-12-26", 40, "working", 0,
        "Due 2026-02-28: 40 working days after 2025-12-26 (the starting day itself is not counted). "
        "Skipped 12 weekend days and 12 public holidays (New Year's Day, Spring Festival). Counted 3 make-up "
        "workdays (2026-01-04 Sun, 2026-02-14 Sat, 2026-02-28 Sat): weekend days that officially become "
        "working days around a public holiday (调休).",
        "截止日期：2026-02-28。自2025-12-26起计算40个工作日（期间开始之日不计算在内）。跳过周末12天、法定节假日12天"
        "（元旦、春节）。计入调休上班日3天（2026-01-04 周日、2026-02-14 周六、2026-02-28 周六）。"),
    # Thu 26 Nov: Fri 27, Mon 30, (Tue 1 and Wed 2 closed by the regulator), Thu 3, Fri 4, Mon 7.
    "two days the regulator closed": (
        WorkingCalendar({D("2026-12-01"): False, D("2026-12-02"): False}), "2026-11-26", 5, "working", 0,
        "Due 2026-12-07: 5 working days after 2026-11-26 (the starting day itself is not counted). "
        "Skipped 4 weekend days and 2 days the regulator declared non-working. "
        "The regulator's calendar adjustments apply to 2026-12-01, 2026-12-02.",
        "截止日期：2026-12-07。自2026-11-26起计算5个工作日（期间开始之日不计算在内）。跳过周末4天、监管机构调整的休息日2天。"
        "适用监管机构调整的日期：2026-12-01、2026-12-02。"),
    "one working day with nothing skipped": (
        WorkingCalendar(), "2026-12-03", 1, "working", 0,
        "Due 2026-12-04: 1 working day after 2026-12-03 (the starting day itself is not counted).",
        "截止日期：2026-12-04。自2026-12-03起计算1个工作日（期间开始之日不计算在内）。"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_computed_deadline_explains_itself_in_english_and_chinese(case):
    calendar, start, length, unit, paused, english, chinese = CASES[case]
    due = calendar.add(D(start), length, unit, extra_days=paused)
    assert describe(due, "en") == english
    assert describe(due, "zh") == chinese
    assert describe(due, "zh_CN") == chinese  # the locale as Flask-Babel names it


def fixed(on: str, set_for: str, reason: str, source: str) -> DueDate:
    explanation = {"fixed": set_for, "reason": reason, "legal_source": source}
    if on != set_for:
        explanation["moved_to_next_working_day"] = on
    return DueDate(D("2026-07-01"), 0, "fixed", D(on), False, explanation)


def test_a_date_set_by_a_decision_explains_its_reason_source_and_any_move():
    moved = fixed("2026-07-20", "2026-07-18", "set by order", "[M 21] order")
    assert describe(moved, "en") == ("Due 2026-07-20 (set by order; source: [M 21] order). The set date 2026-07-18 "
                                     "is not a working day, so it moves to the next working day.")
    assert describe(moved, "zh") == ("截止日期：2026-07-20（set by order，依据：[M 21] order）。"
                                     "原定日期2026-07-18不是工作日，顺延至其后的第一个工作日。")
    kept = fixed("2026-07-15", "2026-07-15", "H1 report", "[M 18] report")
    assert describe(kept, "en") == "Due 2026-07-15 (H1 report; source: [M 18] report)."
    assert describe(kept, "zh_CN") == "截止日期：2026-07-15（H1 report，依据：[M 18] report）。"


def test_a_holiday_without_a_name_is_counted_without_an_empty_bracket():
    """Should the official data ever carry a nameless holiday, the reader sees the count alone."""
    explanation = {"weekends_skipped": [], "holidays_skipped": [{"day": "2026-05-04", "name": None}],
                   "makeup_workdays_counted": [], "overrides_applied": [], "rolled_forward_from": None,
                   "extra_days": 0, "provisional_days": []}
    due = DueDate(D("2026-04-30"), 1, "working", D("2026-05-05"), False, explanation)
    assert describe(due, "en") == ("Due 2026-05-05: 1 working day after 2026-04-30 (the starting day itself is not "
                                   "counted). Skipped 1 public holiday.")
    assert describe(due, "zh") == "截止日期：2026-05-05。自2026-04-30起计算1个工作日（期间开始之日不计算在内）。跳过法定节假日1天。"


@pytest.mark.parametrize(("name", "lang", "expected"), [
    ("Spring Festival", "zh", "春节"),
    ("Mid-autumn Festival", "zh_CN", "中秋节"),
    ("Spring Festival", "en", "Spring Festival"),
    ("A day chinesecalendar may add", "zh", "A day chinesecalendar may add"),  # never lost, untranslated
    (None, "zh", None),
])
def test_holiday_names_in_the_readers_language(name, lang, expected):
    assert holiday_name(name, lang) == expected


def test_a_holiday_name_with_no_chinese_is_shown_as_it_is_in_a_chinese_explanation():
    explanation = {"weekends_skipped": [], "holidays_skipped": [{"day": "2026-05-04", "name": "New Day"}],
                   "makeup_workdays_counted": [], "overrides_applied": [], "rolled_forward_from": None,
                   "extra_days": 0, "provisional_days": []}
    due = DueDate(D("2026-04-30"), 1, "working", D("2026-05-05"), False, explanation)
    assert describe(due, "zh").endswith("跳过法定节假日1天（New Day）。")
