"""The maturity section: each system's latest rating under each framework."""

import datetime as dt

from core.wording import number_word
from maturity.charts import maturity_heatmap
from maturity.models import MaturityFramework
from maturity.presenters import latest_ratings_matrix, latest_ratings_title
from maturity.queries import latest_assessments_as_at
from maturity.rules import describe_matrix, drop_unrated, level_score
from maturity.tables import MaturityTable
from systems.models import CoverageScope, System, SystemFootprint

from ..document import Annex, ChartBlock, Section, table_block
from ..narrative import (
    Noun,
    count_phrase,
    names_list,
    sentence,
    verb,
)
from .scope import (
    SummaryScope,
    on_date,
)

# -- maturity ---------------------------------------------------------------------------------


def _rated_noun(framework: MaturityFramework, scope: SummaryScope) -> Noun:
    """What the framework rated, in scope: the STP progress dashboard rated STPs."""
    singular, plural = ("STP", "STPs") if framework.name.startswith("STP") else SYSTEM_WORDS
    if scope.region is not None:
        where = f" in the {scope.region.name} region"
        return Noun(singular + where, plural + where)
    if scope.wave is not None:
        return Noun(
            f"system designated in {scope.wave.name}", f"systems designated in {scope.wave.name}"
        )
    return Noun(singular, plural)


SYSTEM_WORDS = ("system", "systems")


def _rated_total(framework, day: dt.date, scope: SummaryScope, rated: set[int]) -> int:
    """How many systems in scope the framework could have rated on `day`: those that existed
    then (for the STP progress dashboard, those covering a whole STP footprint, as the
    dashboard rated the 44 STPs), and at least those it did rate."""
    ids = scope.system_ids(day)
    systems = System.objects.current_as_at(day)
    if ids is not None:
        systems = systems.filter(pk__in=ids)
    if framework.name.startswith("STP") and scope.wave is None:
        systems = systems.filter(
            pk__in=SystemFootprint.objects.as_at(day)
            .filter(scope=CoverageScope.WHOLE)
            .values("system")
        )
    return len(set(systems.values_list("pk", flat=True)) | rated)


def maturity_sentences(scope: SummaryScope, framework, assessments: list) -> list[str]:
    """Who was rated at which level under one framework, best level first: "Five of the 44
    STPs were rated Outstanding in the STP progress dashboard (July 2017): ... The other 34
    have no rating recorded." Only ratings held are counted; the rest are never guessed."""

    def name(assessment) -> str:
        marks = [
            w
            for w, flag in (
                ("unverified", assessment.unverified),
                ("illustrative", assessment.illustrative),
            )
            if flag
        ]
        return assessment.system.name + (f" ({', '.join(marks)})" if marks else "")

    by_level: dict[int, list] = {}
    for assessment in assessments:
        by_level.setdefault(assessment.level_id, []).append(assessment)
    ordered = sorted(
        by_level.values(),
        key=lambda group: (
            -level_score(group[0].level.order, group[0].level_count, framework.best_end)
        ),
    )
    dates = {a.assessed_display for a in assessments}
    when_rated = (
        f" in {next(iter(dates))}"
        if len(dates) == 1 and next(iter(dates)) not in framework.name
        else ""
    )
    if scope.system is not None:
        only = assessments[0]
        when_rated = (
            f" in {only.assessed_display}" if only.assessed_display not in framework.name else ""
        )
        return [
            sentence(
                f"{name(only)} was rated {only.level.name} in the {framework.name}{when_rated}"
            )
        ]
    day = max(a.assessed_on for a in assessments)
    rated = {a.system_id for a in assessments}
    total = _rated_total(framework, day, scope, rated)
    noun = _rated_noun(framework, scope)
    sentences = []
    for index, group in enumerate(ordered):
        names = names_list(sorted(name(a) for a in group))
        count = len(group)
        if index == 0:
            sentences.append(
                sentence(
                    f"{count_phrase(count, total, noun)} {verb(count, 'was', 'were')} rated "
                    f"{group[0].level.name} in the {framework.name}{when_rated}: {names}"
                )
            )
        else:
            sentences.append(
                sentence(
                    f"{number_word(count)} {verb(count, 'was', 'were')} rated "
                    f"{group[0].level.name}: {names}"
                )
            )
    unrated = total - len(rated)
    if unrated:
        sentences.append(
            sentence(
                f"the other {number_word(unrated)} {verb(unrated, 'has', 'have')} no rating "
                "recorded under it: only ratings found in the sources are loaded, none made up"
            )
        )
    return sentences


def maturity_section(scope: SummaryScope) -> Section | None:
    """Each system's latest rating under each framework as at the date: who was rated at which
    level, the /maturity/ page's heat map (its matrix, less the systems and frameworks with no
    rating, which the words account for) and Table. None when no system in scope has a
    rating by then."""
    day = scope.as_at
    ids = scope.system_ids(day)
    assessments = list(latest_assessments_as_at(day, systems=ids))
    if not assessments:
        return None
    frameworks = list(
        MaturityFramework.objects.filter(in_force_from__lte=day).order_by("in_force_from", "name")
    )
    paragraphs, to_note = [], []
    by_framework: dict[int, list] = {}
    for assessment in assessments:
        by_framework.setdefault(assessment.framework_id, []).append(assessment)
    unrated_frameworks = []
    for framework in frameworks:
        mine = by_framework.get(framework.pk)
        if not mine:
            unrated_frameworks.append(framework.name)
            continue
        sentences = maturity_sentences(scope, framework, mine)
        paragraphs.append(" ".join(sentences))
        to_note.append(sentences[0])
    if unrated_frameworks:
        whom = scope.system.name if scope.system is not None else "no system in scope"
        paragraphs.append(
            sentence(
                f"{whom} had {'no rating' if scope.system is not None else 'a rating'} under "
                + " or ".join(f"the {name}" for name in unrated_frameworks)
                + f" by {on_date(day)}"
            )
        )
    paragraphs.append(
        "A rating holds until the system's next assessment under the same framework; "
        "frameworks do not replace each other's ratings, and their levels are not comparable "
        "except as a place between each framework's worst and best."
        + (
            " {annex:maturity} gives each rating with its date and source."
            if scope.system is None
            else ""
        )
    )
    # The /maturity/ page's matrix for the date, over the systems in scope.
    matrix = latest_ratings_matrix(day, assessments, frameworks, system_ids=ids)
    charts = []
    printed = drop_unrated(matrix)
    if printed.cell_count and scope.system is None:
        where = f"as at {on_date(day)}"
        left_out = len(matrix.rows) - len(printed.rows)
        charts.append(
            ChartBlock(
                title=latest_ratings_title(where),
                description=describe_matrix(printed, where)
                + (
                    f" The {number_word(left_out)} systems in scope with no rating are left out."
                    if left_out
                    else ""
                ),
                figure=maturity_heatmap(printed),
            )
        )
    illustrative = any(a.illustrative for a in assessments)
    exclude = [
        column
        for column, used in (
            ("domains", any(a.domain_ratings.all() for a in assessments)),
            ("unverified", any(a.unverified for a in assessments)),
            ("illustrative", illustrative),
            # Hidden on the page, but table_block's exported values would still carry it
            # under no header: shown when there is an address, left out when there is none.
            ("source_url", any(a.source_url for a in assessments)),
        )
        if not used
    ]
    maturity_table = MaturityTable(assessments, exclude=exclude, orderable=False)
    if "source_url" not in exclude:
        maturity_table.columns.show("source_url")
    table = table_block(
        maturity_table,
        caption=f"{scope.label}: each system's latest rating under each framework as at "
        f"{on_date(day)}",
        sheet_name=f"Maturity {day:%Y-%m-%d}",
        illustrative=illustrative,
    )
    # One system's few ratings sit in the section; a scope's, with their long sources, in an
    # annex, as the paper keeps its tables to the back.
    annexes = []
    if scope.system is None:
        annexes.append(
            Annex(
                key="maturity",
                title=f"Maturity ratings as at {on_date(day)}",
                paragraphs=[
                    "Each system's latest rating under each framework, with the date it was "
                    "given and where it is recorded. Systems with no rating are not listed."
                ],
                tables=[table],
            )
        )
    return Section(
        key="maturity",
        title=f"Maturity ratings as at {on_date(day)}",
        purpose=f"each system's latest maturity rating as at {on_date(day)}",
        paragraphs=paragraphs,
        charts=charts,
        tables=[table] if scope.system is not None else [],
        to_note=to_note,
        annexes=annexes,
    )
