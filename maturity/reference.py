"""Maturity's reference data: the frameworks, their levels and domains, and the ratings known
as fact, shipped with the rest of the facts as `systems/reference_data/maturity_*.csv`.

`systems.reference.load_reference_data` calls `load_frameworks_and_ratings` (through this
app's config) after its own rows, with its loader and the systems it loaded, so one load, in
one transaction, writes both and reports both.
"""

from core.dates import DatePrecision
from systems.models import System
from systems.reference import ReferenceDataError, _date, _dated, _sourced

from .models import Assessment, MaturityDomain, MaturityFramework, MaturityLevel


def load_frameworks_and_ratings(load, systems: dict[str, System]) -> None:
    """Maturity frameworks, their levels and domains, and the assessments known as fact.

    Only real ratings ship: the five Outstanding and five Needs most improvement STPs of the
    July 2017 dashboard. No rating under the other frameworks is asserted.
    """

    def framework(row):
        in_force_from, from_precision = _dated(row["in_force_from"])
        in_force_until, until_precision = (
            _dated(row["in_force_until"]) if row["in_force_until"] else (None, DatePrecision.DAY)
        )
        return (
            MaturityFramework,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "publisher": row["publisher"],
                "in_force_from": in_force_from,
                "in_force_from_precision": from_precision,
                "in_force_until": in_force_until,
                "in_force_until_precision": until_precision,
                "best_end": row["best_end"],
                "description": row["description"],
                **_sourced(row),
            },
        )

    load("maturity frameworks", "maturity_frameworks", framework)
    frameworks = {f.slug: f for f in MaturityFramework.objects.all()}

    def level(row):
        return (
            MaturityLevel,
            {"framework": frameworks[row["framework"]], "order": int(row["order"])},
            {"name": row["name"], "description": row["description"], **_sourced(row)},
        )

    load("maturity levels", "maturity_levels", level)
    levels = {(lv.framework_id, lv.name): lv for lv in MaturityLevel.objects.all()}

    def domain(row):
        return (
            MaturityDomain,
            {"framework": frameworks[row["framework"]], "name": row["name"]},
            {
                "order": int(row["order"]),
                "description": row["description"],
                "in_use_from": _date(row["in_use_from"]),
                **_sourced(row),
            },
        )

    load("maturity domains", "maturity_domains", domain)

    def assessment(row):
        assessed_on, precision = _dated(row["assessed_on"])
        rated_under = frameworks[row["framework"]]
        try:
            rated = levels[(rated_under.pk, row["level"])]
        except KeyError:
            raise ReferenceDataError(f"{row['level']!r} is not a level of {rated_under}") from None
        return (
            Assessment,
            {
                "system": systems[row["system"]],
                "framework": rated_under,
                "assessed_on": assessed_on,
            },
            {
                "precision": precision,
                "level": rated,
                "evidence": row["evidence"],
                "source_url": row["source_url"],
                **_sourced(row),
            },
        )

    load("maturity assessments", "maturity_assessments", assessment)
