"""How systems were rated, read from the database for pages and board summaries.

A system's maturity on date D is, per framework, its latest assessment on or before D; a
system never assessed under a framework has no rating under it, whatever other frameworks
said (the rule in Python over rows already read is `maturity.rules.latest_by_framework`, held
equal to `Assessment.objects.as_at` by a test).

- `latest_assessments_as_at(day, ...)`: each system's latest assessment under each framework
  on or before `day`, one query (plus one for domain ratings);
- `assessments_for(systems, ...)`: every assessment of a scope of systems, oldest first;
- `maturity_history(system)`: one system's assessments, oldest first;
- `matrix_assessments(day, framework)`: the assessments the maturity matrix shows.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from systems.models import System

from .models import Assessment, AssessmentDomainRating, MaturityFramework, MaturityLevel


def _with_details(assessments: QuerySet, *, domain_ratings: bool = True) -> QuerySet:
    level_count = (
        MaturityLevel.objects.filter(framework=OuterRef("framework"))
        .order_by()
        .values("framework")
        .annotate(count=Count("pk"))
        .values("count")
    )
    assessments = assessments.select_related("system", "framework", "level").annotate(
        level_count=Subquery(level_count)
    )
    if domain_ratings:
        assessments = assessments.prefetch_related(
            Prefetch(
                "domain_ratings",
                queryset=AssessmentDomainRating.objects.select_related("domain", "level").order_by(
                    "domain__order"
                ),
            )
        )
    return assessments


def _scoped(assessments: QuerySet, systems, framework) -> QuerySet:
    if systems is not None:
        assessments = assessments.filter(system__in=systems)
    if framework is not None:
        assessments = assessments.filter(framework=framework)
    return assessments


def latest_assessments_as_at(
    day: dt.date,
    *,
    systems: QuerySet | Iterable[System | int] | None = None,
    framework: MaturityFramework | int | None = None,
    domain_ratings: bool = True,
) -> QuerySet[Assessment]:
    """Each system's latest assessment under each framework on or before `day`.

    `systems` (a System queryset, systems or ids) and `framework` narrow the scope; by default
    every system and every framework. Rows come with system, framework and level loaded and,
    unless `domain_ratings=False`, their domain ratings (domain and level) prefetched: two
    queries in all. Each row is annotated `level_count`, the number of levels of its
    framework. Ordered by system name, then framework.
    """
    latest = _scoped(Assessment.objects.as_at(day), systems, framework)
    return _with_details(latest, domain_ratings=domain_ratings).order_by(
        "system__name", "framework__in_force_from", "framework__name"
    )


def assessments_for(
    systems: QuerySet | Iterable[System | int] | None = None,
    *,
    until: dt.date | None = None,
    framework: MaturityFramework | int | None = None,
    domain_ratings: bool = True,
) -> QuerySet[Assessment]:
    """Every assessment of `systems` (all systems if None), oldest first, optionally only
    those on or before `until` and under one `framework`. Two queries, as above."""
    assessments = _scoped(Assessment.objects.all(), systems, framework)
    if until is not None:
        assessments = assessments.filter(assessed_on__lte=until)
    return _with_details(assessments, domain_ratings=domain_ratings).chronological()


def maturity_history(system: System) -> list[Assessment]:
    """All of one system's assessments, oldest first, with levels, domain ratings and sources."""
    return list(assessments_for([system]))


def matrix_assessments(day: dt.date, framework: MaturityFramework | None = None) -> QuerySet:
    """The assessments the maturity matrix shows on `day`, of the systems that existed then
    (a merged system's old rating is not its successor's): with no framework chosen, each
    system's latest under each framework; with one, every assessment under it up to `day`."""
    existing = System.objects.current_as_at(day)
    if framework is None:
        return latest_assessments_as_at(day, systems=existing)
    return assessments_for(existing, until=day, framework=framework)
