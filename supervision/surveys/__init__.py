"""Customer-satisfaction surveys and the satisfaction index (SPEC §8, [M 9–11])."""
