"""Quarterly complaint statistics (SPEC §8, [M 9–11])."""
