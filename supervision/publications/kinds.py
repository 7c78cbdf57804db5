"""The kinds of publication and their providers: (quarter, authority) → figures (figures.py).

Each provider is a function of the database as it is now; the publication service freezes
what it returns. The figures themselves come from the statistics, survey and inspection
modules: this registry only adapts their results to the published shape, so a kind whose
module is not installed still publishes honestly (an empty table and a caveat saying why).
"""
from collections.abc import Callable
from dataclasses import dataclass

from supervision.i18n import _l
from supervision.publications.periods import Quarter

Provider = Callable[[Quarter, str], dict]


@dataclass(frozen=True)
class PublicationKind:
    name: str
    label: object           # lazy message
    provider: Provider
    slug: str               # in URLs: /publications/<authority>/<slug>/<period>/v<n>/


_KINDS: dict[str, PublicationKind] = {}


def register_kind(kind: PublicationKind) -> PublicationKind:
    _KINDS[kind.name] = kind
    return kind


def kinds() -> dict[str, PublicationKind]:
    _register_builtin()
    return dict(_KINDS)


def kind_named(name: str) -> PublicationKind | None:
    return kinds().get(name)


def kind_by_slug(slug: str) -> PublicationKind | None:
    return next((k for k in kinds().values() if k.slug == slug), None)


KIND_NAMES = ("complaint_statistics", "satisfaction_index", "spot_check_results")


def _register_builtin() -> None:
    if _KINDS:
        return
    from supervision.publications import providers

    register_kind(PublicationKind("complaint_statistics", _l("Quarterly complaint statistics"),
                                  providers.complaint_statistics, "complaint-statistics"))
    register_kind(PublicationKind("satisfaction_index", _l("Satisfaction index"),
                                  providers.satisfaction_index, "satisfaction-index"))
    register_kind(PublicationKind("spot_check_results", _l("Spot-check results"),
                                  providers.spot_check_results, "spot-check-results"))
