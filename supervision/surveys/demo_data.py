"""A deterministic demonstration survey: realistic 1–10 scores for the demo operators.

The same seed, period and row count always give the same file, so `make run` and the
benchmarks import identical data. Nothing here is real survey data.
"""
import csv
import itertools
import math
import random
from collections.abc import Iterator
from typing import TextIO

from supervision.surveys.models import ITEMS, SERVICES
from supervision.surveys.rules import HEADER

# Mean latent satisfaction (1–10) per demo operator licence and the services it sells.
PROFILES = {
    "A1.A2-20090001": (7.6, SERVICES),                 # China Mobile
    "A1.A2-20090002": (7.1, SERVICES),                 # China Unicom
    "A1.A2-20090003": (7.4, SERVICES),                 # China Telecom
    "A1.A2-20190004": (6.8, ("mobile", "broadband")),  # China Broadnet
    "B2-20230123": (6.4, ("broadband",)),              # Yuntongda (fictional ISP)
    "苏B2-20190012": (6.9, ("fixed", "broadband")),    # Jiangsu cable
    "浙B2-20180045": (7.0, ("fixed", "broadband")),    # Wasu
    "粤B2-20170088": (6.6, ("fixed", "broadband")),    # Guangdong cable
    "苏B1.B2-20200031": (6.2, ("broadband",)),         # Nanjing Zijin (fictional ISP)
}
# How each item sits against overall satisfaction: expectations run high, value for money low.
ITEM_OFFSETS = {"expectations": 0.6, "perceived_quality": 0.2, "perceived_value": -0.5, "satisfaction": 0.0,
                "complaints": -0.8, "loyalty": -0.2}


def demo_cells() -> list[tuple[str, str, str, float]]:
    """(licence_no, province, service, weight) of every surveyed cell of the demo operators."""
    from supervision.demo import OPERATORS

    cells = []
    for spec in OPERATORS:
        if spec.licence_no not in PROFILES:
            continue  # the expired licence is not surveyed
        for province, millions in spec.subscribers.items():
            for service in PROFILES[spec.licence_no][1]:
                # Sample sizes grow with the square root of the market, as surveys usually do.
                cells.append((spec.licence_no, province, service, math.sqrt(millions)))
    return cells


def demo_survey_rows(period: str, rows: int, seed: int = 2026) -> Iterator[list]:
    """`rows` rows for `period`, spread over the demo cells by market size."""
    rng = random.Random(f"{seed}:{period}")
    cells = demo_cells()
    cum_weights = list(itertools.accumulate(weight for *_, weight in cells))
    indexes = range(len(cells))
    counters = [0] * len(cells)
    for _ in range(rows):
        i = rng.choices(indexes, cum_weights=cum_weights)[0]
        counters[i] += 1
        licence_no, province, service, _weight = cells[i]
        mean = PROFILES[licence_no][0] + (0.3 if service == "mobile" else -0.2 if service == "broadband" else 0)
        latent = rng.gauss(mean, 1.4)
        scores = [min(10, max(1, round(latent + ITEM_OFFSETS[item] + rng.gauss(0, 0.9)))) for item in ITEMS]
        yield [licence_no, province, service, period, f"{period}-{province}-{i:03d}-{counters[i]:07d}", *scores]


def write_demo_survey(out: TextIO, period: str, rows: int, seed: int = 2026) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(demo_survey_rows(period, rows, seed))
