"""Preparing, confirming and approving publications: the step table on the shared machinery.

prepare (an officer, or the scheduler) → draft with computed figures → `refresh` (an officer
recomputes and signs as preparer) → `approve` (a publisher who is not the preparer, four-eyes
[SPEC §1]) → published: the files are rendered once and never change. A correction is a new
draft of the same series; it names the version it replaces and why.
"""
import hashlib
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from supervision.access.models import Role, User
from supervision.audit import SYSTEM, Actor, record_event
from supervision.errors import Forbidden, ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l
from supervision.publications.files import render_files
from supervision.publications.kinds import KIND_NAMES, kind_named
from supervision.publications.models import Publication, PublicationFile
from supervision.publications.periods import Quarter, parse_quarter
from supervision.publications.texts import freeze
from supervision.publications.trend import with_trend
from supervision.workflow import steps
from supervision.workflow.steps import Context, Step, Workflow

OFFICER, PUBLISHER = "officer", "publisher"


def _role_of(actor: Actor, publication: Publication | None = None) -> str | None:
    """Officers of the publication's own authority act on it; publishers among them approve."""
    user = db.session.get(User, actor.user_id) if actor.user_id else None
    if user is None or user.role != Role.OFFICER:
        return None
    if publication is not None and user.authority_code != publication.authority_code:
        return None  # a province's figures are approved by that province's publishers
    return PUBLISHER if user.is_publisher else OFFICER


def _refresh(ctx: Context) -> None:
    publication = ctx.record
    ctx.set(figures=compute_figures(publication.kind, publication.period, publication.authority_code),
            figures_computed_at=ctx.now, prepared_by=ctx.actor.user_id, prepared_at=ctx.now)


def _approve(ctx: Context) -> None:
    publication = ctx.record
    ctx.set(status="published", approved_by=ctx.actor.user_id, published_at=ctx.now)
    for rendered in render_files(publication.figures, file_meta(publication)):
        db.session.add(PublicationFile(publication_id=publication.id, name=rendered.name, format=rendered.format,
                                       media_type=rendered.media_type, size=len(rendered.content),
                                       sha256=rendered.sha256, content=rendered.content, created_at=ctx.now))
    db.session.flush()


def _preparer_may_not_approve(actor: Actor, publication: Publication):
    return actor.user_id == publication.prepared_by and _l(
        "You prepared this draft: another publisher must approve it (four-eyes).")


def _unconfirmed(publication: Publication):
    return publication.prepared_by is None and _l(
        "The scheduler prepared this draft: an officer must review the figures and sign as preparer "
        "(refresh) before a publisher approves it.")


STEPS = {
    "refresh": Step(frozenset({OFFICER, PUBLISHER}), frozenset({"draft"}), _refresh),
    "approve": Step(frozenset({PUBLISHER}), frozenset({"draft"}), _approve, blocked=_unconfirmed,
                    refused_to=_preparer_may_not_approve),
}


def _lock(publication: Publication) -> None:
    db.session.execute(select(Publication.id).where(Publication.id == publication.id).with_for_update())
    db.session.refresh(publication)


PUBLICATION_WORKFLOW = Workflow(name=_l("publication"), steps=STEPS, role_of=_role_of,
                                audit_key=lambda p: ("publication", str(p.id)), lock=_lock)


def perform(publication: Publication, action: str, params: dict, actor: Actor, now: datetime) -> Publication:
    return steps.perform(PUBLICATION_WORKFLOW, publication, action, params, actor, now)


def allowed_actions(publication: Publication, actor: Actor) -> list[str]:
    return steps.allowed_actions(PUBLICATION_WORKFLOW, publication, _role_of(actor, publication), actor)


# --- preparing -----------------------------------------------------------------------------

def compute_figures(kind: str, period: str, authority: str) -> dict:
    quarter = Quarter(int(period[:4]), int(period[5]))
    raw = kind_named(kind).provider(quarter, authority)
    return with_trend(freeze(raw), authority)


def prepare(user: User, data: dict, now: datetime, today) -> tuple[Publication, bool]:
    """An officer's draft for a kind and ended quarter in their authority; (draft, created now).

    Asking again while a draft of the series is open returns that draft (a form sent twice
    makes one draft). When the series is already published, the draft is a correction and
    needs a reason.
    """
    if user.role != Role.OFFICER:
        raise Forbidden(_l("Only an officer may prepare a publication."))
    errors: dict[str, list[str]] = {}
    if kind_named(data.get("kind") or "") is None:
        errors["kind"] = [_l("kind must be one of: %(kinds)s", kinds=", ".join(KIND_NAMES))]
    try:
        quarter = parse_quarter(data.get("period"), today)
    except ValidationFailed as problem:
        errors |= problem.errors
    if errors:
        raise ValidationFailed(_l("The publication cannot be prepared as asked."), errors)
    return prepare_series(data["kind"], str(quarter), user.authority_code, Actor.of(user), now,
                          reason=(data.get("reason") or "").strip() or None)


def prepare_series(kind: str, period: str, authority: str, actor: Actor, now: datetime,
                   reason: str | None = None) -> tuple[Publication, bool]:
    latest = latest_version(kind, period, authority, published_only=False)
    if latest is not None and latest.status == "draft":
        return latest, False
    if latest is not None and not reason:
        if actor is SYSTEM:
            return latest, False  # the scheduler never starts a correction
        raise ValidationFailed.field("reason", _l(
            "Version %(version)s of this publication is already published: a correction needs a reason "
            "(what it corrects).", version=latest.version))
    publication = Publication(
        kind=kind, period=period, authority_code=authority, version=(latest.version + 1) if latest else 1,
        status="draft", replaces_id=latest.id if latest else None, correction_reason=reason if latest else None,
        figures=compute_figures(kind, period, authority), figures_computed_at=now,
        prepared_by=actor.user_id, prepared_at=now, updated_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(publication)
    except IntegrityError:
        # Someone prepared the same version meanwhile: theirs is the draft.
        return latest_version(kind, period, authority, published_only=False), False
    record_event("publication", str(publication.id), "prepare", actor, now,
                 after={"kind": kind, "period": period, "authority": authority, "version": publication.version,
                        "status": "draft", "replaces": publication.replaces_id}, note=reason)
    return publication, True


# --- reading -------------------------------------------------------------------------------

def latest_version(kind: str, period: str, authority: str, published_only: bool = True) -> Publication | None:
    stmt = select(Publication).where(Publication.kind == kind, Publication.period == period,
                                     Publication.authority_code == authority)
    if published_only:
        stmt = stmt.where(Publication.status == "published")
    return db.session.scalars(stmt.order_by(Publication.version.desc()).limit(1)).first()


def latest_published_ids():
    """Subquery: the id of the newest published version of every series."""
    newest = (select(Publication.kind, Publication.period, Publication.authority_code,
                     func.max(Publication.version).label("version"))
              .where(Publication.status == "published")
              .group_by(Publication.kind, Publication.period, Publication.authority_code).subquery())
    return (select(Publication.id)
            .join(newest, (Publication.kind == newest.c.kind) & (Publication.period == newest.c.period)
                  & (Publication.authority_code == newest.c.authority_code)
                  & (Publication.version == newest.c.version)))


def replaced_by(publication: Publication) -> Publication | None:
    return db.session.scalar(select(Publication).where(Publication.replaces_id == publication.id,
                                                       Publication.status == "published"))


def file_meta(publication: Publication) -> dict:
    kind = kind_named(publication.kind)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    path = version_path(publication)
    return {"id": publication.id, "name": f"{publication.authority_code}-{kind.slug}-{publication.period}".lower(),
            "kind": publication.kind, "period": publication.period, "authority": publication.authority_code,
            "version": publication.version, "replaces_version": publication.replaces.version
            if publication.replaces else None, "correction_reason": publication.correction_reason,
            "published_at": publication.published_at.isoformat() if publication.published_at else None,
            "page_url": f"{base}{path}", "files_url": f"{base}{path}"}


def series_path(publication: Publication) -> str:
    return f"/publications/{publication.authority_code}/{kind_named(publication.kind).slug}/{publication.period}"


def version_path(publication: Publication) -> str:
    return f"{series_path(publication)}/v{publication.version}/"


def verified_content(stored: PublicationFile) -> bytes:
    """The bytes as published; a row whose bytes no longer match their hash is never served."""
    if hashlib.sha256(stored.content).hexdigest() != stored.sha256:
        raise RuntimeError(f"publication file {stored.id} does not match its published SHA-256")
    return stored.content
