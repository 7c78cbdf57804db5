"""The 双随机 draw, pure and reproducible (no database, no clock): anyone holding the published
frame and the revealed seed re-runs it and gets the same result.

Each candidate gets the key u^(1/w) (Efraimidis–Spirakis weighted sampling without
replacement), with u from SHA-256(seed ‖ candidate id) read as a number in (0, 1); the k
largest keys are drawn. Compared as log(u)/w, which orders the same and does not underflow.
"""
import hashlib
import json
import math
import random


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def frame_hash(frame: dict) -> str:
    """The commitment to the frame: the SHA-256 of its canonical JSON."""
    return sha256_hex(canonical(frame))


def uniform(seed: str, label: str) -> float:
    """A number in (0, 1) from SHA-256(seed ‖ label): never 0, so log() is defined."""
    digest = int(sha256_hex(f"{seed}|{label}"), 16)
    return (digest + 1) / (2**256 + 1)


def key(seed: str, label: str, weight: float) -> float:
    if weight <= 0:
        raise ValueError("weights must be positive (the floor keeps every candidate drawable)")
    return math.log(uniform(seed, label)) / weight


def draw(seed: str, candidates: list[tuple[str, float]], k: int) -> list[str]:
    """The k candidates (label, weight) with the largest keys, in key order; ties by label."""
    ranked = sorted(candidates, key=lambda c: (-key(seed, c[0], c[1]), c[0]))
    return [label for label, _ in ranked[:k]]


def inclusion_probabilities(candidates: list[tuple[str, float]], k: int, runs: int = 4000) -> dict[str, float]:
    """Each candidate's chance of being drawn, estimated by simulating the same draw `runs` times
    with seeds derived from the frame itself (so the estimate is reproducible too)."""
    if k >= len(candidates):
        return {label: 1.0 for label, _ in candidates}
    rng = random.Random(sha256_hex(canonical(sorted(candidates))))
    hits = dict.fromkeys((label for label, _ in candidates), 0)
    for _ in range(runs):
        # Inverse-transform of E–S: key = u^(1/w) with u uniform; the same law as the real draw.
        ranked = sorted(candidates, key=lambda c: -math.log(rng.random() or 1e-300) / c[1])
        for label, _ in ranked[:k]:
            hits[label] += 1
    return {label: round(count / runs, 4) for label, count in hits.items()}
