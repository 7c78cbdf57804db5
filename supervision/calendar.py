"""Working days and deadlines on China's official calendar (SPEC §3).

Pure domain code: no Flask, no database. Dates are local (Asia/Shanghai) `datetime.date`s;
converting a moment to a local date is the caller's job (`supervision.clock.local_date`).

Where a day's status comes from, strongest first:
1. the admin-edited override table ({date: is_working_day}), because the State Council
   sometimes changes a schedule after a library release, or a local authority closes;
2. the `chinesecalendar` package, which carries the State Council notices *with* make-up
   workdays (调休: a make-up Saturday/Sunday IS a working day);
3. for a year neither covers, Monday–Friday, and the result is marked `provisional`
   (SPEC §3) so nobody mistakes a guess for a legal deadline.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import chinese_calendar

Unit = Literal["working", "calendar", "fixed"]  # fixed: a set date (workflow/deadlines.py)
UNITS: tuple[Unit, ...] = ("working", "calendar")

# A bounded scan: even the longest official break (8 days) is nowhere near this, so hitting it
# means an override table that switched off every day — a data error, not a deadline.
MAX_SCAN_DAYS = 1000

_NON_WORKING_HOLIDAY_KINDS = ("holiday", "override_holiday")


class CalendarError(RuntimeError):
    """The calendar could not find a working day within MAX_SCAN_DAYS."""


@dataclass(frozen=True)
class DayInfo:
    day: date
    working: bool
    kind: str  # "workday" | "weekend" | "holiday" | "makeup_workday" | "override_holiday" | "override_workday"
    name: str | None  # holiday name where known (chinesecalendar's English names, e.g. "Spring Festival")
    provisional: bool  # True when decided by the Mon–Fri fallback


@dataclass(frozen=True)
class DueDate:
    start: date
    length: int
    unit: Unit
    due: date
    provisional: bool
    explanation: dict  # JSON-serialisable; see WorkingCalendar.add


def _official(d: date) -> tuple[bool, str | None] | None:
    """(is working day, holiday name) from the State Council data, or None outside its years."""
    try:
        working = chinese_calendar.is_workday(d)
        _, name = chinese_calendar.get_holiday_detail(d)
    except NotImplementedError:
        return None
    return working, name


def _official_kind(d: date, working: bool, name: str | None) -> str:
    weekend = d.weekday() >= 5
    if working:
        return "makeup_workday" if weekend else "workday"
    # A Saturday inside a holiday block is part of the holiday (it carries the holiday's name).
    return "holiday" if name is not None or not weekend else "weekend"


def _days(first: date, last: date) -> list[date]:
    """Every date in [first, last]."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _check_count(value: int, field: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{field} must be a whole number of days >= 0, got {value!r}")


class WorkingCalendar:
    """China's working-day calendar plus overrides. Cheap to build; caches each day it decides."""

    def __init__(self, overrides: Mapping[date, bool] | None = None):
        self._overrides: dict[date, bool] = dict(overrides or {})
        self._cache: dict[date, DayInfo] = {}

    def day(self, d: date) -> DayInfo:
        info = self._cache.get(d)
        if info is None:
            info = self._cache[d] = self._classify(d)
        return info

    def _classify(self, d: date) -> DayInfo:
        official = _official(d)
        if d in self._overrides:
            working = bool(self._overrides[d])
            kind = "override_workday" if working else "override_holiday"
            return DayInfo(d, working, kind, official[1] if official else None, provisional=False)
        if official is None:
            # SPEC §3: no source for this year — assume Mon–Fri and say so.
            weekday = d.weekday() < 5
            return DayInfo(d, weekday, "workday" if weekday else "weekend", None, provisional=True)
        working, name = official
        return DayInfo(d, working, _official_kind(d, working, name), name, provisional=False)

    def is_working_day(self, d: date) -> bool:
        return self.day(d).working

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        for offset in range(1, MAX_SCAN_DAYS + 1):
            candidate = d + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise CalendarError(f"no working day within {MAX_SCAN_DAYS} days after {d.isoformat()}")

    def working_days_between(self, after: date, until: date) -> int:
        """Working days in (after, until]: the start day is not counted (期间开始之日不计算在内).
        0 when `until` is not after `after`: the range is empty."""
        return sum(1 for d in _days(after + timedelta(days=1), until) if self.is_working_day(d))

    def covers(self, year: int) -> bool:
        """Whether the official source (chinesecalendar) has the State Council schedule for `year`."""
        # Any day of the year would do: the source covers whole years.
        return _official(date(year, 1, 1)) is not None  # pragma: no mutate

    def add_working_days(self, start: date, n: int) -> DueDate:
        return self.add(start, n, "working")

    def add_calendar_days(self, start: date, n: int) -> DueDate:
        return self.add(start, n, "calendar")

    def add(self, start: date, n: int, unit: Unit, extra_days: int = 0) -> DueDate:
        """Due date of an n-day period starting `start`, lengthened by `extra_days` paused days.

        `extra_days` counts the days a clock stood still (awaiting_info, SPEC §3), in the same
        unit; the DueDate keeps the legal length `n` and records the extension separately.
        """
        _check_count(n, "n")
        _check_count(extra_days, "extra_days")
        if unit not in UNITS:
            raise ValueError(f"unit must be one of {UNITS}, got {unit!r}")
        total = n + extra_days
        if unit == "working":
            due, rolled_from = self._nth_working_day(start, total), None
            considered = _days(start + timedelta(days=1), due)  # empty when n is 0
        else:
            due, rolled_from = self._calendar_due(start, total)
            considered = _days(rolled_from or due, due)
        explanation = self._explain(considered, start, n, unit, due, extra_days, rolled_from)
        return DueDate(start, n, unit, due, bool(explanation["provisional_days"]), explanation)

    def _nth_working_day(self, start: date, n: int) -> date:
        # The start day is not counted (期间开始之日不计算在内): the first candidate is start + 1.
        due = start
        for _ in range(n):
            due = self.next_working_day(due)
        return due

    def _calendar_due(self, start: date, n: int) -> tuple[date, date | None]:
        """(due, original last day if it moved). 期间届满的最后一日是法定休假日的，
        以法定休假日后的第一日为期间届满的日期 — a make-up workday is not a rest day, so it stays."""
        last = start + timedelta(days=n)
        if self.is_working_day(last):
            return last, None
        return self.next_working_day(last), last

    def _explain(self, considered: list[date], start: date, n: int, unit: Unit, due: date,
                 extra_days: int, rolled_from: date | None) -> dict:
        """The days that decided the due date: for a working-day period every day in (start, due];
        for a calendar-day period only the last day and any roll-forward to the due date."""
        infos = [self.day(d) for d in considered]
        return {
            "unit": unit,
            "length": n,
            "start": start.isoformat(),
            "due": due.isoformat(),
            "weekends_skipped": [i.day.isoformat() for i in infos if i.kind == "weekend"],
            "holidays_skipped": [
                {"day": i.day.isoformat(), "name": i.name} for i in infos if i.kind in _NON_WORKING_HOLIDAY_KINDS
            ],
            "makeup_workdays_counted": [i.day.isoformat() for i in infos if i.kind == "makeup_workday"],
            "overrides_applied": [i.day.isoformat() for i in infos if i.kind.startswith("override_")],
            "rolled_forward_from": rolled_from.isoformat() if rolled_from else None,
            "extra_days": extra_days,
            "provisional_days": [i.day.isoformat() for i in infos if i.provisional],
        }


# ---------------------------------------------------------------------------------------------
# Human explanation (shown to citizens and operators next to a deadline)

_ZH_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
_EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_ZH_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@dataclass(frozen=True)
class _Skipped:
    """What a period stepped over, split the way a reader thinks about it."""

    weekends: int
    holidays: int  # official public-holiday days
    closures: int  # days the regulator's override table made non-working
    names: list[str]  # distinct holiday names, in date order

    @classmethod
    def of(cls, explanation: dict) -> "_Skipped":
        overridden = set(explanation["overrides_applied"])
        skipped = explanation["holidays_skipped"]
        closures = sum(1 for h in skipped if h["day"] in overridden)
        names = list(dict.fromkeys(h["name"] for h in skipped if h["name"]))
        return cls(len(explanation["weekends_skipped"]), len(skipped) - closures, closures, names)


def _with_weekday(iso: str, weekdays: tuple[str, ...]) -> str:
    return f"{iso} {weekdays[date.fromisoformat(iso).weekday()]}"


def _years(isos: list[str], separator: str) -> str:
    return separator.join(sorted({iso[:4] for iso in isos}))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def holiday_name(name: str | None, lang: str) -> str | None:
    """A holiday's name (chinesecalendar's English one) in the reader's language."""
    return _ZH_HOLIDAY_NAMES.get(name, name) if name and lang.startswith("zh") else name


def _skipped_en(s: _Skipped) -> str:
    parts = [_plural(s.weekends, "weekend day")] if s.weekends else []
    if s.holidays:
        names = f" ({', '.join(s.names)})" if s.names else ""
        parts.append(_plural(s.holidays, "public holiday") + names)
    if s.closures:
        parts.append(_plural(s.closures, "day") + " the regulator declared non-working")
    return " and ".join(parts)


def _skipped_zh(s: _Skipped) -> str:
    parts = [f"周末{s.weekends}天"] if s.weekends else []
    if s.holidays:
        names = "、".join(holiday_name(n, "zh") for n in s.names)
        parts.append(f"法定节假日{s.holidays}天" + (f"（{names}）" if names else ""))
    if s.closures:
        parts.append(f"监管机构调整的休息日{s.closures}天")
    return "、".join(parts)


def _describe_en(due: DueDate) -> str:
    ex = due.explanation
    unit_word = "working day" if due.unit == "working" else "calendar day"
    parts = [f"Due {due.due.isoformat()}: {_plural(due.length, unit_word)} after {due.start.isoformat()} "
             "(the starting day itself is not counted)."]
    if ex["extra_days"]:
        parts.append(f"The period was extended by {_plural(ex['extra_days'], unit_word)} "
                     "while the clock was paused awaiting information.")
    skipped = _skipped_en(_Skipped.of(ex))
    if ex["rolled_forward_from"]:
        last = _with_weekday(ex["rolled_forward_from"], _EN_WEEKDAYS)
        parts.append(f"The last day, {last}, is not a working day, so the deadline moves to the next "
                     f"working day, skipping {skipped}.")
    elif skipped:
        parts.append(f"Skipped {skipped}.")
    makeups = [_with_weekday(d, _EN_WEEKDAYS) for d in ex["makeup_workdays_counted"]]
    if makeups:
        parts.append(f"Counted {_plural(len(makeups), 'make-up workday')} ({', '.join(makeups)}): "
                     "weekend days that officially become working days around a public holiday (调休).")
    if ex["overrides_applied"]:
        parts.append(f"The regulator's calendar adjustments apply to {', '.join(ex['overrides_applied'])}.")
    if due.provisional:
        parts.append(f"Provisional: the official holiday schedule for {_years(ex['provisional_days'], ', ')} "
                     "has not been published yet, so Monday to Friday were assumed to be working days; "
                     "the date may change.")
    return " ".join(parts)


def _describe_zh(due: DueDate) -> str:
    ex = due.explanation
    unit_word = "个工作日" if due.unit == "working" else "日"
    parts = [f"截止日期：{due.due.isoformat()}。自{due.start.isoformat()}起计算{due.length}{unit_word}"
             "（期间开始之日不计算在内）。"]
    if ex["extra_days"]:
        parts.append(f"因等待补充材料暂停计时，期间顺延{ex['extra_days']}{unit_word}。")
    skipped = _skipped_zh(_Skipped.of(ex))
    if ex["rolled_forward_from"]:
        last = _with_weekday(ex["rolled_forward_from"], _ZH_WEEKDAYS)
        parts.append(f"期间届满的最后一日（{last}）不是工作日，以其后的第一个工作日为期间届满的日期（跳过{skipped}）。")
    elif skipped:
        parts.append(f"跳过{skipped}。")
    makeups = [_with_weekday(d, _ZH_WEEKDAYS) for d in ex["makeup_workdays_counted"]]
    if makeups:
        parts.append(f"计入调休上班日{len(makeups)}天（{'、'.join(makeups)}）。")
    if ex["overrides_applied"]:
        parts.append(f"适用监管机构调整的日期：{'、'.join(ex['overrides_applied'])}。")
    if due.provisional:
        parts.append(f"暂定：{_years(ex['provisional_days'], '、')}年的节假日安排尚未公布，暂按周一至周五为工作日计算，"
                     "截止日期可能调整。")
    return "".join(parts)


def _describe_fixed(due: DueDate, zh: bool) -> str:
    """A date set by a rule or a decision (workflow/deadlines.py: fixed_due)."""
    ex = due.explanation
    moved = ex.get("moved_to_next_working_day")
    if zh:
        text = f"截止日期：{due.due.isoformat()}（{ex['reason']}，依据：{ex['legal_source']}）。"
        return text + (f"原定日期{ex['fixed']}不是工作日，顺延至其后的第一个工作日。" if moved else "")
    text = f"Due {due.due.isoformat()} ({ex['reason']}; source: {ex['legal_source']})."
    return text + (f" The set date {ex['fixed']} is not a working day, so it moves to the next working day."
                   if moved else "")


def describe(due: DueDate, lang: str) -> str:
    """One paragraph explaining how `due` was computed, in English ("en") or Chinese ("zh")."""
    if due.unit == "fixed":
        return _describe_fixed(due, lang.lower().startswith("zh"))
    if lang.lower().startswith("zh"):
        return _describe_zh(due)
    return _describe_en(due)
