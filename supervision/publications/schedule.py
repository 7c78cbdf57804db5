"""After a quarter ends, drafts are prepared for each authority's officers, who are told.

The job never publishes: a draft it prepares has no preparer, so an officer must review it
and sign as preparer (`refresh`) before a different publisher approves it. Running it again
finds the drafts already there and tells no one twice.
"""
from datetime import datetime

from sqlalchemy import select

from supervision.access.models import Role, User
from supervision.audit import SYSTEM
from supervision.clock import local_date
from supervision.extensions import db
from supervision.notifications.outbox import queue
from supervision.publications.kinds import kinds
from supervision.publications.periods import last_ended_quarter
from supervision.publications.services import latest_version, prepare_series


def prepare_quarter_drafts(now: datetime) -> int:
    """Drafts for the last ended quarter, every kind, every authority with officers; returns how many were made."""
    period = str(last_ended_quarter(local_date(now)))
    officers = db.session.scalars(select(User).where(User.role == Role.OFFICER, User.is_active_user.is_(True))
                                  .order_by(User.id)).all()
    made = 0
    for authority in sorted({u.authority_code for u in officers if u.authority_code}):
        for kind in kinds():
            if latest_version(kind, period, authority, published_only=False) is not None:
                continue  # drafted or published already (a correction is an officer's decision)
            draft, created = prepare_series(kind, period, authority, SYSTEM, now)
            if not created:
                continue
            made += 1
            for user in (u for u in officers if u.authority_code == authority):
                queue(f"publication-draft:{draft.id}:{user.id}", f"[{period}] draft publication ready: {kind}",
                      f"The scheduler prepared the {kind.replace('_', ' ')} draft for {period}. Review the "
                      "figures, sign as preparer, and ask another publisher to approve it "
                      "(officer pages: Publications).", now, user=user)
    return made
