"""Spot-check inspections (抽查) [M 7, M 8]: the team, the checklist, evidence, sealed records,
and the published result versions (SPEC §6)."""
from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.db_types import UTCDateTime
from supervision.extensions import db
from supervision.workflow.models import HasDeadlines

TYPES = ("onsite", "mystery", "document", "billing_sample")  # 现场 / 暗访 / 书面审查 / 计费抽样
STATES = ("planned", "in_progress", "draft_result", "final", "published", "cancelled")
ITEM_RESULTS = ("pass", "fail", "na")


class Inspection(HasDeadlines, db.Model):
    __tablename__ = "inspections"
    deadline_subject = "inspection"

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    # The authority that conducts it (the scope rule reads this) and the province inspected
    # (None when CN inspects a national operator's head office).
    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), index=True)
    province: Mapped[str | None] = mapped_column(ForeignKey("authorities.code"))
    type: Mapped[str] = mapped_column(String(16))
    planned_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    campaign_id: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The draft result the operator may answer (right of reply), then the final one.
    result_summary: Mapped[str | None] = mapped_column(Text)
    operator_reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    operator = relationship("Operator")
    team: Mapped[list["InspectionOfficer"]] = relationship(order_by="InspectionOfficer.id",
                                                           cascade="all, delete-orphan")
    items: Mapped[list["ChecklistItem"]] = relationship(order_by="ChecklistItem.id", cascade="all, delete-orphan")
    seals: Mapped[list["SealedRecord"]] = relationship(order_by="SealedRecord.id", cascade="all, delete-orphan")
    versions: Mapped[list["PublishedResult"]] = relationship(order_by="PublishedResult.version")

    @property
    def officers(self) -> list:
        return [member.user for member in self.team]


class InspectionOfficer(db.Model):
    """A member of the inspection team; their credential number is read from the user [M 7]."""

    __tablename__ = "inspection_officers"
    __table_args__ = (UniqueConstraint("inspection_id", "user_id", name="uq_inspection_officers_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    user = relationship("User")


class ChecklistItem(db.Model):
    __tablename__ = "inspection_items"
    __table_args__ = (UniqueConstraint("inspection_id", "code", name="uq_inspection_items_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(300))
    article: Mapped[str] = mapped_column(String(16))
    result: Mapped[str | None] = mapped_column(String(4))
    note: Mapped[str | None] = mapped_column(Text)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"))

    finding = relationship("Finding")

    evidence: Mapped[list["InspectionEvidence"]] = relationship(order_by="InspectionEvidence.id",
                                                                cascade="all, delete-orphan")


class InspectionEvidence(db.Model):
    """A file behind a checklist item (supervision/uploads.py checked and stored it)."""

    __tablename__ = "inspection_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("inspection_items.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SealedRecord(db.Model):
    """Records sealed during the inspection (封存): what, when, by whom; unsealing is an event."""

    __tablename__ = "inspection_seals"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    items: Mapped[str] = mapped_column(Text)
    sealed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    officers: Mapped[list] = mapped_column(JSON)  # usernames of the officers present
    unsealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unsealed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unseal_note: Mapped[str | None] = mapped_column(Text)


class PublishedResult(db.Model):
    """One published version of a result [M 8]: never changed; a correction is a new version."""

    __tablename__ = "inspection_results"
    __table_args__ = (UniqueConstraint("inspection_id", "version", name="uq_inspection_results_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)
    operator_reply: Mapped[str | None] = mapped_column(Text)
    # {"pass": n, "fail": n, "na": n} at publication.
    item_counts: Mapped[dict] = mapped_column(JSON)
    correction_note: Mapped[str | None] = mapped_column(Text)
    published_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)


@event.listens_for(PublishedResult, "before_update")
@event.listens_for(PublishedResult, "before_delete")
def _published_is_immutable(mapper, connection, target):
    raise RuntimeError("a published result is immutable: publish a correction as a new version")


def lock_inspection(inspection_id: int) -> None:
    """The inspection's row lock: actions, evidence, seals and the sweep append to one chain."""
    db.session.execute(select(Inspection.id).where(Inspection.id == inspection_id).with_for_update())


class RiskMethodology(db.Model):
    """A version of the risk score's formula: score = Σ weight × part, and the floor that keeps
    every operator drawable in a campaign. Stored and versioned so a published draw can name it."""

    __tablename__ = "risk_methodologies"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    # {"complaints_per_million": 1.0, "missed_reply_clocks": 2.0, ...}
    weights: Mapped[dict] = mapped_column(JSON)
    floor: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text)


class Campaign(db.Model):
    """A 双随机、一公开 campaign: the frozen frame and the seed's hash are published before the
    draw (commitment); the draw reveals the seed, and anyone can re-run it (inspections/draw.py)."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), index=True)
    period: Mapped[str] = mapped_column(String(6))
    inspection_type: Mapped[str] = mapped_column(String(16))
    operators_to_draw: Mapped[int] = mapped_column(Integer)
    inspectors_per_inspection: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))  # frozen | drawn
    # {"methodology": 1, "operators": [{"id", "name", "score", "weight"}], "inspectors": [usernames]}
    frame: Mapped[dict] = mapped_column(JSON)
    frame_hash: Mapped[str] = mapped_column(String(64))
    seed_hash: Mapped[str] = mapped_column(String(64))
    # Kept secret until the draw; then published with the result.
    seed: Mapped[str] = mapped_column(String(64))
    # Declared conflicts of interest: [{"username", "operator_id", "reason", "declared_at"}].
    conflicts: Mapped[list] = mapped_column(JSON)
    # {"operators": [ids], "probabilities": {id: p}, "inspectors": {operator id: [usernames]},
    #  "recusals": [{"username", "operator_id"}]}
    result: Mapped[dict | None] = mapped_column(JSON)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    frozen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
