"""The one source of "now" (STYLE §2): services take `now`, the app holds a clock, tests fix it."""
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock tests can set and move."""

    current: datetime

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta) -> None:
        from datetime import timedelta

        self.current = self.current + timedelta(**delta)


def now_utc() -> datetime:
    """Aware UTC now from the app's clock."""
    return current_app.extensions["clock"].now()


def local_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["SUPERVISION_TZ"])


def local_date(moment: datetime) -> date:
    """The calendar date of `moment` in Asia/Shanghai (SPEC §3: all dates are local)."""
    return moment.astimezone(local_tz()).date()


def today_local() -> date:
    return local_date(now_utc())
