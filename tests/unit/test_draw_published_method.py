"""The 双随机 draw is verifiable (SPEC §6: the seed is recorded and published so anyone can re-run
the draw): an independent implementation of the method the public campaign page states gives the
same keys, the same draw and the same frame hash. The page says: SHA-256 of the seed must equal
the seed hash; each operator's key is u^(1/w) with u = SHA-256(seed | operator id) read as a
number in (0, 1) and w its weight; the operators with the largest keys are drawn."""
import hashlib
import json
import math

import pytest

from supervision.inspections import draw

CANDIDATES = [("1", 1.0), ("2", 10.0), ("3", 1.0), ("4", 5.0), ("17", 2.5)]


def published_u(seed: str, label: str) -> float:
    """u in (0, 1) from the 256-bit SHA-256 of "seed|label": (n + 1) / (2^256 + 1)."""
    n = int(hashlib.sha256(f"{seed}|{label}".encode()).hexdigest(), 16)
    return (n + 1) / (2**256 + 1)


def published_draw(seed: str, candidates, k: int) -> list[str]:
    keys = {label: published_u(seed, label) ** (1 / weight) for label, weight in candidates}
    return sorted(keys, key=lambda label: (-keys[label], label))[:k]


@pytest.mark.parametrize("seed", ["seed-a", "0f" * 32, "种子"])
def test_u_and_the_key_are_the_published_ones(seed):
    for label, weight in CANDIDATES:
        assert draw.uniform(seed, label) == published_u(seed, label)
        assert 0 < draw.uniform(seed, label) < 1
        assert draw.key(seed, label, weight) == pytest.approx(math.log(published_u(seed, label)) / weight)


@pytest.mark.parametrize("seed", [f"seed-{n}" for n in range(40)])
@pytest.mark.parametrize("k", [1, 2, 4])
def test_an_independent_replay_of_the_published_method_draws_the_same_operators(seed, k):
    assert draw.draw(seed, CANDIDATES, k) == published_draw(seed, CANDIDATES, k)


def test_asking_for_more_than_the_frame_holds_draws_every_candidate_in_key_order():
    assert draw.draw("seed-a", CANDIDATES, 9) == published_draw("seed-a", CANDIDATES, 9)
    assert sorted(draw.draw("seed-a", CANDIDATES, 9)) == sorted(label for label, _ in CANDIDATES)


@pytest.mark.parametrize("weight", [0, 0.0, -1.0])
def test_a_weight_that_is_not_positive_is_refused(weight):
    """The methodology's floor keeps every operator drawable: a zero or negative weight is a bug, not a draw."""
    with pytest.raises(ValueError, match="weights must be positive"):
        draw.draw("seed-a", [("1", 1.0), ("2", weight)], 1)


def test_the_frame_hash_is_the_sha256_of_the_canonical_json():
    """Canonical JSON: sorted keys, no spaces, UTF-8 characters as they are (not \\u escapes)."""
    frame = {"operators": [{"name": "江苏有线", "id": 3, "weight": 1.5}], "authority": "32", "period": "2026Q4"}
    text = '{"authority":"32","operators":[{"id":3,"name":"江苏有线","weight":1.5}],"period":"2026Q4"}'
    assert draw.canonical(frame) == text
    assert draw.frame_hash(frame) == hashlib.sha256(text.encode()).hexdigest()
    assert draw.sha256_hex("seed") == hashlib.sha256(b"seed").hexdigest()
    assert json.loads(draw.canonical(frame)) == frame


def test_inclusion_probabilities_follow_the_weights_and_are_sure_when_all_are_drawn():
    """Published beside the result (to 4 decimals): each operator's chance, estimated by simulating the
    same method, reproducible from the frame; a sure draw (k ≥ candidates) is 1.0 for each."""
    probabilities = draw.inclusion_probabilities(CANDIDATES, 2)
    assert set(probabilities) == {label for label, _ in CANDIDATES}
    # Shown on the public campaign page as a share with 4 decimals.
    assert all(p == round(p, 4) for p in probabilities.values())
    assert sum(probabilities.values()) == pytest.approx(2)
    # k = 1: the chance is w / Σw (here 10 / 19.5 for the heaviest), within the simulation's error.
    single = draw.inclusion_probabilities(CANDIDATES, 1)
    assert single["2"] == pytest.approx(10 / 19.5, abs=0.025)
    assert single["1"] == pytest.approx(1 / 19.5, abs=0.015)
    assert draw.inclusion_probabilities(CANDIDATES, 1) == single
    assert draw.inclusion_probabilities(CANDIDATES[:2], 2) == {"1": 1.0, "2": 1.0}
    assert draw.inclusion_probabilities(CANDIDATES[:2], 3) == {"1": 1.0, "2": 1.0}
