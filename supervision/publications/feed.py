"""The Atom feed of publications (feedgen): one entry per series, its newest version.

An entry's id is a tag URI of the series (RFC 4151), never of a version, so a correction
keeps the entry id and moves `updated`: feed readers show the correction as an update of
the entry they already have, not as a new publication.
"""
from collections.abc import Callable

from feedgen.feed import FeedGenerator
from sqlalchemy import func, select

from supervision.extensions import db
from supervision.publications.models import Publication
from supervision.publications.texts import localized

FEED_TITLE = {"zh_CN": "电信服务质量监督 · 公开发布", "en": "Telecom service-quality supervision: publications"}


def entry_id(publication: Publication, tag_authority: str) -> str:
    return f"tag:{tag_authority}:publications/{publication.authority_code}/{publication.kind}/{publication.period}"


def _first_published(publication: Publication):
    return db.session.scalar(select(func.min(Publication.published_at)).where(
        Publication.kind == publication.kind, Publication.period == publication.period,
        Publication.authority_code == publication.authority_code, Publication.status == "published"))


def atom_feed(current: list[Publication], base_url: str, tag_authority: str,
              page_url: Callable[[Publication], str]) -> bytes:
    fg = FeedGenerator()
    fg.id(f"tag:{tag_authority}:publications")
    fg.title(f"{FEED_TITLE['zh_CN']} / {FEED_TITLE['en']}")
    fg.link(href=f"{base_url}/feed.atom", rel="self")
    fg.link(href=f"{base_url}/publications/", rel="alternate")
    fg.language("zh-CN")
    newest = max((p.published_at for p in current), default=None)
    if newest:
        fg.updated(newest)
    for publication in sorted(current, key=lambda p: p.published_at):
        entry = fg.add_entry()
        entry.id(entry_id(publication, tag_authority))
        title = publication.figures.get("title")
        entry.title(f"{localized(title, 'zh_CN')} / {localized(title, 'en')}")
        entry.link(href=page_url(publication), rel="alternate")
        entry.published(_first_published(publication))
        entry.updated(publication.published_at)
        summary = f"Version {publication.version}."
        if publication.correction_reason:
            summary += f" Correction: {publication.correction_reason}"
        entry.summary(summary)
    return fg.atom_str(pretty=True)
