"""The schema comes only from the migrations (STYLE): they must match the models exactly."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from supervision.access.models import NATIONAL, Authority
from supervision.complaints.models import ClockPolicy
from supervision.complaints.search import declared_by_migration_only
from supervision.extensions import db


def test_migrations_match_the_models(ctx):
    """Any model change without a migration (or the reverse) shows up here as a difference."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_name": declared_by_migration_only})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_reference_data_is_seeded(ctx):
    codes = set(db.session.scalars(select(Authority.code)))
    assert len(codes) == 32  # MIIT + 31 provincial administrations [M 3]
    assert {NATIONAL, "11", "31", "32", "33", "44", "65"} <= codes
    assert db.session.get(Authority, "32").authority_zh == "江苏省通信管理局"


def test_clock_policies_are_seeded_with_the_legal_lengths(ctx):
    assert db.session.scalar(select(func.count()).select_from(ClockPolicy)) == 9
    policies = {p.name: (p.length, p.unit) for p in db.session.scalars(select(ClockPolicy))}
    assert policies == {"acceptance": (5, "working"), "answer": (30, "calendar"),
                        "operator_reply": (10, "working"), "supervision_report": (5, "working"),
                        "operator_precondition": (15, "calendar"), "right_of_reply": (5, "working"),
                        "order_deadline": (0, "fixed"), "self_inspection_report": (0, "fixed"),
                        "sample_production": (10, "working")}
