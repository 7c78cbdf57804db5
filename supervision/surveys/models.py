"""Survey responses, their imports and the versioned index methodology (SPEC §8)."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from supervision.db_types import UTCDateTime
from supervision.extensions import db

SERVICES = ("mobile", "fixed", "broadband")
# The TCSI dimensions, in the CSV's column order (SPEC §10).
ITEMS = ("expectations", "perceived_quality", "perceived_value", "satisfaction", "complaints", "loyalty")


class MethodologyVersion(db.Model):
    """How the index is computed. A published figure names the version it used; a new
    methodology is a new row, never an edit (version 1 is seeded by migration 0009)."""

    __tablename__ = "methodology_versions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    scale_min: Mapped[int] = mapped_column(SmallInteger)
    scale_max: Mapped[int] = mapped_column(SmallInteger)
    # Overall satisfaction at or above this counts as "satisfied" (satisfaction rate, SPEC §8).
    satisfied_threshold: Mapped[int] = mapped_column(SmallInteger)
    # Cells with fewer respondents are suppressed, never shown as zero (SPEC §8, default 100).
    minimum_n: Mapped[int] = mapped_column(Integer)
    # 95% confidence interval: ± z × SE.
    confidence_z: Mapped[Decimal] = mapped_column(Numeric(6, 4))
    # Weights of the rescaled items, exact decimals summing to 1 (four decimal places).
    weight_expectations: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    weight_perceived_quality: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    weight_perceived_value: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    weight_satisfaction: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    weight_complaints: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    weight_loyalty: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def weights(self) -> dict[str, Decimal]:
        return {item: getattr(self, f"weight_{item}") for item in ITEMS}


class SurveyImport(db.Model):
    """One imported file: who, when, how many rows, and the file's SHA-256."""

    __tablename__ = "survey_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SurveyResponse(db.Model):
    """One respondent's scores (1–10) on the six TCSI items, no personal data."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        # A respondent answers once per operator, service and period: a second import is refused.
        UniqueConstraint("operator_id", "service", "period", "respondent_id", name="uq_survey_responses_respondent"),
        # The index aggregates one period at a time, grouped by these.
        Index("ix_survey_responses_cell", "period", "operator_id", "province", "service"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("survey_imports.id"), index=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    province: Mapped[str] = mapped_column(ForeignKey("authorities.code"))
    service: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(6))
    respondent_id: Mapped[str] = mapped_column(String(64))
    expectations: Mapped[int] = mapped_column(SmallInteger)
    perceived_quality: Mapped[int] = mapped_column(SmallInteger)
    perceived_value: Mapped[int] = mapped_column(SmallInteger)
    satisfaction: Mapped[int] = mapped_column(SmallInteger)
    complaints: Mapped[int] = mapped_column(SmallInteger)
    loyalty: Mapped[int] = mapped_column(SmallInteger)
