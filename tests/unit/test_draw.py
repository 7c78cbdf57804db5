"""The pure 双随机 draw: reproducible from its inputs, weighted, every candidate drawable."""
from supervision.inspections import draw

CANDIDATES = [("1", 1.0), ("2", 10.0), ("3", 1.0), ("4", 5.0)]


def test_the_same_seed_and_frame_give_the_same_draw_and_another_seed_may_not():
    assert draw.draw("seed-a", CANDIDATES, 2) == draw.draw("seed-a", list(reversed(CANDIDATES)), 2)
    results = {tuple(draw.draw(f"seed-{n}", CANDIDATES, 2)) for n in range(50)}
    assert len(results) > 1


def test_heavier_candidates_are_drawn_more_often_and_the_light_ones_still_can_be():
    counts = {label: 0 for label, _ in CANDIDATES}
    for n in range(2000):
        for label in draw.draw(f"s{n}", CANDIDATES, 1):
            counts[label] += 1
    assert counts["2"] > counts["4"] > counts["1"] > 0
    # E–S with k = 1 draws each candidate with probability w / Σw: 10/17 ≈ 0.588.
    assert abs(counts["2"] / 2000 - 10 / 17) < 0.04


def test_inclusion_probabilities_sum_to_k_and_are_reproducible():
    probabilities = draw.inclusion_probabilities(CANDIDATES, 2)
    assert abs(sum(probabilities.values()) - 2) < 1e-6
    assert probabilities == draw.inclusion_probabilities(CANDIDATES, 2)
    assert probabilities["2"] > probabilities["4"] > probabilities["1"]
    assert draw.inclusion_probabilities(CANDIDATES, 4) == {"1": 1.0, "2": 1.0, "3": 1.0, "4": 1.0}


def test_frame_hash_is_canonical():
    assert draw.frame_hash({"a": 1, "b": [1, 2]}) == draw.frame_hash({"b": [1, 2], "a": 1})
    assert draw.frame_hash({"a": 1}) != draw.frame_hash({"a": 2})
