"""A publication of one kind, period and authority, and its frozen files (SPEC §8, §10).

A series (kind, period, authority) has versions: v1, then corrections v2, v3… each linking
the version it replaces. A version is a draft until a publisher approves it; approval
renders its files once, and the files' bytes never change afterwards (an ORM guard refuses
updates and deletes, and every download is checked against the stored SHA-256).
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.db_types import UTCDateTime
from supervision.extensions import db

STATES = ("draft", "published")


class Publication(db.Model):
    __tablename__ = "publications"
    # One row per version of a series; two drafts of one series collide here (the second waits).
    __table_args__ = (UniqueConstraint("kind", "period", "authority_code", "version",
                                       name="uq_publications_series_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(6))  # "2026Q3"
    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), index=True)
    # A correction names the published version it replaces, and why.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("publications.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)
    # The figures as computed for the draft (what the publisher reviews) and frozen on approval.
    figures: Mapped[dict] = mapped_column(JSON)
    figures_computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    prepared_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    prepared_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    authority = relationship("Authority")
    preparer = relationship("User", foreign_keys=[prepared_by])
    approver = relationship("User", foreign_keys=[approved_by])
    replaces: Mapped["Publication | None"] = relationship(remote_side=[id])
    files: Mapped[list["PublicationFile"]] = relationship(back_populates="publication",
                                                          order_by="PublicationFile.id")

    @property
    def series(self) -> tuple[str, str, str]:
        return self.kind, self.period, self.authority_code

    def file(self, name: str) -> "PublicationFile | None":
        return next((f for f in self.files if f.name == name), None)


class PublicationFile(db.Model):
    """One frozen file of a published version: its bytes, size and SHA-256."""

    __tablename__ = "publication_files"
    __table_args__ = (UniqueConstraint("publication_id", "name", name="uq_publication_files_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))       # "complaints_by_operator.csv"
    format: Mapped[str] = mapped_column(String(8))       # pdf | csv | json | svg
    media_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    publication: Mapped[Publication] = relationship(back_populates="files")


@event.listens_for(PublicationFile, "before_update")
@event.listens_for(PublicationFile, "before_delete")
def _frozen(mapper, connection, target):
    raise RuntimeError("published files are immutable: publish a correction instead")
