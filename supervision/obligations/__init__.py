"""Operator obligations (SPEC §4, §5): billing-record retention, self-inspection reports."""
