"""Timing helpers: medians of repeated runs, and a progress line on stderr."""
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass


@dataclass
class Result:
    """One measured case; `ratio` is its median over its baseline's median (same DB, same run)."""

    case: str
    database: str
    n: int
    median_s: float
    baseline: str | None = None
    ratio: float | None = None
    note: str = ""
    # Set on the headline rows: their ratio goes on `make bench-quick`'s one summary line.
    summary_label: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Timed:
    """What to time: `fn` after an untimed `setup`; the time is divided by `per` (e.g. per row)."""

    fn: Callable[[], object]
    setup: Callable[[], object] | None = None
    per: int = 1


def interleaved_medians(entries: list[Timed], rounds: int) -> list[float]:
    """Median seconds of each entry, timed round-robin (one run of each per round).

    Interleaving keeps a ratio honest on a busy machine: a burst of load slows the case and
    its baseline alike instead of landing on one of them.
    """
    samples: list[list[float]] = [[] for _ in entries]
    for _ in range(rounds):
        for entry, bucket in zip(entries, samples, strict=True):
            if entry.setup is not None:
                entry.setup()
            start = time.perf_counter()
            entry.fn()
            bucket.append((time.perf_counter() - start) / entry.per)
    return [statistics.median(bucket) for bucket in samples]


def against(result: Result, baseline: Result) -> Result:
    result.baseline = baseline.case
    result.ratio = result.median_s / baseline.median_s if baseline.median_s else None
    return result


class Progress:
    """`[3/12] sqlite: sweep, nothing due … 0.4 s` on stderr, so stdout keeps only the table."""

    def __init__(self, total: int):
        self.total, self.done = total, 0
        self._started = 0.0

    def start(self, label: str) -> None:
        self.done += 1
        self._started = time.perf_counter()
        print(f"[{self.done:>2}/{self.total}] {label} …", end="", file=sys.stderr, flush=True)

    def finish(self) -> None:
        print(f" {time.perf_counter() - self._started:.1f} s", file=sys.stderr, flush=True)
