"""Performance figures shaped for people: the rows, headlines, cards, links, charts and tables
the performance pages show, and that a board paper's performance section shows again.

Plain figures in (from `performance.queries`), plain values out: no request and no queries,
so a page and a board paper that are given the same figures say the same thing. Orders,
verdicts and sums are the rules in `performance.rules`.
"""

from dataclasses import dataclass, fields, replace
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.text import capfirst

from core.charts import Chart, chart_payload
from core.findings import FindingCheck
from core.headlines import card, count_card, systems_headline
from core.wording import Noun
from systems.lineage import join_names
from systems.map_presenters import NO_FIGURES_COLOUR, MapChart, MapRow, map_chart
from systems.models import System, SystemStatusKind, Wave
from systems.populations import PopulationFigure, Populations

from . import charts, rules
from .formatting import format_percent, format_points, real_source
from .models import Comparison, PublishedFinding, Standard
from .periods import Period, PeriodKind
from .queries import GroupComparison, LeagueRow, Trend, side_count
from .rules import Figures, PerHeadCount
from .tables import ComparisonTable, SystemTrendTable

DEFAULT_GROUP = "wave-1"


def period_links(period: Period, years: list[Period], url_for) -> dict:
    """Links to the same page for each year with observations and each quarter of this
    period's year."""
    year = period.year()
    return {
        "years": [{"period": y, "url": url_for(y), "current": y == period} for y in years],
        "quarters": [
            {"period": q, "url": url_for(q), "current": q == period}
            for q in (Period.quarter(year.start_year, n) for n in range(1, 5))
        ],
        "year": year,
        "year_url": url_for(year),
        "year_current": year == period,
    }


def real_sources(standards_with_real) -> list[str]:
    """The sources of the real figures a page shows, once each, for the standards (in page
    order) whose figures there count any real observation."""
    return list(dict.fromkeys(real_source(standard.code) for standard in standards_with_real))


def _figures_excluded(illustrative: bool) -> tuple[str, ...]:
    """A table's Figures column appears only where a row's figures are illustrative."""
    return () if illustrative else ("figures",)


# -- the index ------------------------------------------------------------------------------


def performance_index_context(
    standards: list[Standard], years: list[Period], national: dict[int, Figures], picker: dict
) -> dict:
    """Each standard with the nation's figures for the latest year observed and a link to
    every year's league table, newest first; with the reader's system (`picker`, from
    `system_picker`) the links mark it in each table."""
    chosen = f"?{urlencode({'system': picker['system'].url_code})}" if picker["system"] else ""
    rows = [
        {
            "standard": standard,
            "national": national.get(standard.pk, rules.NO_FIGURES),
            "links": [
                {
                    "period": year,
                    "url": reverse("performance:league", args=[standard.code, year]) + chosen,
                }
                for year in reversed(years)
            ],
        }
        for standard in standards
    ]
    return {
        "rows": rows,
        "latest": years[-1] if years else None,
        "years": list(reversed(years)),
        "illustrative": any(row["national"].illustrative for row in rows),
        "real_sources": real_sources(row["standard"] for row in rows if row["national"].real),
        "picker": picker,
        "chosen_code": picker["system"].url_code if picker["system"] else "",
    }


# -- the league table -----------------------------------------------------------------------


@dataclass(frozen=True)
class LeagueSummary:
    systems: int  # with figures
    above: int
    target_met: int
    national: Figures
    illustrative: bool
    real: bool = False


def summarise_league(rows: list[LeagueRow], national: Figures) -> LeagueSummary:
    """The headline counts over the rows with figures."""
    counted = [row for row in rows if row.has_figures]
    return LeagueSummary(
        systems=len(counted),
        above=sum(1 for row in counted if row.above_national),
        target_met=sum(1 for row in counted if row.target_met),
        national=national,
        illustrative=any(row.illustrative for row in counted) or national.illustrative,
        real=any(row.real for row in counted) or national.real,
    )


def league_headline(
    summary: LeagueSummary, standard: Standard, period: Period, narrowed, years: list[Period]
) -> str:
    """The league page's sentence; with no observations for the period, it names the
    financial years that have some (`years`, oldest first), which the page links to."""
    if not summary.national.denominator:
        none = f"There are no observations of {standard.short_name} for {period.label}"
        if not years:
            return f"{none}, or for any other period."
        span = years[0].label if len(years) == 1 else f"{years[0].label} to {years[-1].label}"
        return f"{none}: figures are recorded for {span}, linked under Financial year."
    national = (
        f"England's figure for {standard.short_name} in {period.label} was "
        f"{format_percent(summary.national.value)} against a target of "
        f"{standard.target_percent}."
    )
    return systems_headline(
        summary.systems,
        narrowed,
        none=lambda nothing: f"{national} {nothing}.",
        some=lambda shown: (
            f"{national} {summary.above} of the {summary.systems} {shown} with figures were "
            f"above the national average, and {summary.target_met} met the target."
        ),
    )


def league_cards(summary: LeagueSummary, standard: Standard) -> list[dict]:
    """England's figure and the two counts, or none when nothing was observed."""
    if not summary.national.denominator:
        return []
    return [
        card(
            "England", format_percent(summary.national.value), f"Target {standard.target_percent}"
        ),
        count_card("Above the national average", summary.above, summary.systems),
        count_card("Met the target", summary.target_met, summary.systems),
    ]


def with_system(url: str, code: str | None) -> str:
    """`url` with `system=code` added when a reader has chosen their system, so the choice
    goes with them from one performance page to the next; `url` as it is otherwise."""
    if not code:
        return url
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}{urlencode({'system': code})}"


def league_url(standard: Standard, period: Period | str) -> str:
    return reverse("performance:league", args=[standard.code, getattr(period, "slug", period)])


def league_context(
    summary: LeagueSummary,
    standard: Standard,
    period: Period,
    *,
    years: list[Period],
    narrowed: bool,
    chosen_code: str | None = None,
) -> dict:
    """What the league page shows around its table and chart; the link to the comparison
    keeps the reader's system (`chosen_code`). The links to other standards and periods are
    `league_navigation`'s."""
    return {
        "standard": standard,
        "period": period,
        "coverage_period": period,
        "headline": league_headline(summary, standard, period, narrowed, years),
        "cards": league_cards(summary, standard),
        "illustrative": summary.illustrative,
        "real_sources": real_sources([standard] if summary.real else []),
        "compare_url": with_system(
            reverse("performance:compare", args=[period.slug]) + f"?group={DEFAULT_GROUP}",
            chosen_code,
        ),
        "chosen_code": chosen_code or "",
    }


def league_navigation(
    standard: Standard,
    period: Period,
    *,
    standards: list[Standard],
    years: list[Period],
    chosen_code: str | None = None,
) -> dict:
    """The league page's links to the other standards (keeping the reader's system) and to
    the other years and quarters of the same standard."""
    return {
        "standards": [
            {
                "standard": s,
                "url": with_system(league_url(s, period), chosen_code),
                "current": s.pk == standard.pk,
            }
            for s in standards
        ],
        "period_links": period_links(period, years, lambda p: league_url(standard, p)),
    }


def ranked(rows: list[LeagueRow]) -> list[LeagueRow]:
    """The rows with their rank among them (`rules.ranks`: 1 the best in the standard's
    direction, equals sharing a rank, none without a figure)."""
    places = rules.ranks([row.standing for row in rows])
    return [replace(row, rank=place) for row, place in zip(rows, places, strict=True)]


def chosen_row(rows: list[LeagueRow], code: str | None) -> LeagueRow | None:
    """The row of the system `?system=` names by its code, if it is listed."""
    if not code:
        return None
    return next((row for row in rows if row.system.url_code.casefold() == code.casefold()), None)


def system_picker(systems: list[System], code: str | None, chosen: LeagueRow | None) -> dict:
    """The "my system" select over the systems that existed in the period (`league_systems`),
    the chosen one selected, with a link to its trend and what the league says of it."""
    # Codes are matched as the addresses of system pages are, in any case ("qm1" or "QM1").
    wanted = (code or "").casefold()
    picked = next((system for system in systems if system.url_code.casefold() == wanted), None)
    return {
        "choices": sorted(
            ({"code": s.url_code, "name": s.name, "selected": s is picked} for s in systems),
            key=lambda choice: choice["name"].lower(),
        ),
        "system": picked,
        "unknown": bool(code) and picked is None,
        "trend_url": reverse("performance:system", args=[picked.url_code]) if picked else None,
        "row": chosen,
    }


ABOVE_NATIONAL = "Above national"
NOT_ABOVE_NATIONAL = "Not above national"
NO_FIGURES = "No figures"


def league_map(rows: list[LeagueRow], standard: Standard, period: Period) -> MapChart:
    """The league table's rows on a map of the systems at the start of the period, each area
    coloured by whether its system did better than England (the bar chart's colours)."""
    map_rows = []
    for row in rows:
        if row.above_national is None:
            category, value = NO_FIGURES, "no figures"
        else:
            category = ABOVE_NATIONAL if row.above_national else NOT_ABOVE_NATIONAL
            value = (
                f"{format_percent(row.value)} against England's "
                f"{format_percent(row.national_value)} ({format_points(row.gap_points)} points)"
            )
        url = reverse("performance:system", args=[row.system.url_code])
        map_rows.append(MapRow(row.system.pk, row.name, url, category, value))
    return map_chart(
        title=f"{standard.short_name}, {period.label}, on a map",
        day=period.starts_on,
        rows=map_rows,
        categories={
            ABOVE_NATIONAL: charts.ABOVE_COLOUR,
            NOT_ABOVE_NATIONAL: charts.BELOW_COLOUR,
            NO_FIGURES: NO_FIGURES_COLOUR,
        },
        subject=f"whether its {standard.short_name} figure was above England's",
        value_label="Value against England",
    )


def league_chart(
    rows: list[LeagueRow], standard: Standard, period: Period, chosen: LeagueRow | None = None
) -> Chart | None:
    """The rows with figures as bars, best first, against England and the target, the chosen
    system's bar marked; None when no row has figures."""
    counted = rules.best_first(row for row in rows if row.has_figures)
    if not counted:
        return None
    national = counted[0].national_value
    above = [row.system.name for row in counted if row.above_national]
    systems_word = "system's" if len(counted) == 1 else "systems'"
    were = "was" if len(above) == 1 else "were"
    worst = "lowest" if standard.higher_is_better else "highest"
    description = (
        f"Bar chart of {len(counted)} {systems_word} {standard.short_name} figures for "
        f"{period.label}, best first, against England's {format_percent(national)} (solid line) "
        f"and the {standard.target_percent} target (dashed line). {len(above)} {were} above "
        f"the national average. Best: {counted[0].system.name} "
        f"({format_percent(counted[0].value)}); {worst}: {counted[-1].system.name} "
        f"({format_percent(counted[-1].value)})."
    )
    figure = charts.league_bars(
        [(row.system.name, row.value, bool(row.above_national)) for row in counted],
        national=national,
        target=standard.target,
        chosen=chosen.system.name if chosen is not None and chosen.has_figures else None,
    )
    if chosen is not None and chosen.has_figures:
        description += (
            f" The chosen system, {chosen.system.name}, is marked “(chosen)” and outlined: "
            f"{format_percent(chosen.value)}, ranked {chosen.rank} of {len(counted)}."
        )
    description = " ".join(
        part for part in (description, charts.axis_note(figure.layout.xaxis.range[0])) if part
    )
    return Chart(
        id="league-chart",
        title=f"Systems against England, {standard.short_name}, {period.label}",
        description=description,
        figure=chart_payload(figure),
        data_template="performance/_league_chart_table.html",
        data=counted,
    )


# -- one system through time ----------------------------------------------------------------


@dataclass(frozen=True)
class SystemTrendRow:
    standard: str
    standard_sequence: int
    standard_code: str
    period: Period
    numerator: Decimal
    denominator: Decimal
    value: Decimal | None
    national_value: Decimal | None
    gap_points: Decimal | None
    above_national: bool | None
    target_met: bool | None
    illustrative: bool
    real: bool = False

    @property
    def has_figures(self) -> bool:
        return bool(self.denominator)


def trend_rows(trends: list[Trend]) -> list[SystemTrendRow]:
    """A row per standard and period of each trend, with its verdicts."""
    rows = []
    for trend in trends:
        standard = trend.standard
        direction = {"higher_is_better": standard.higher_is_better}
        for point in trend.points:
            mine = point.system
            rows.append(
                SystemTrendRow(
                    standard=standard.name,
                    standard_sequence=standard.sequence,
                    standard_code=standard.code,
                    period=point.period,
                    numerator=mine.numerator,
                    denominator=mine.denominator,
                    value=mine.value,
                    national_value=point.national.value,
                    gap_points=point.gap_points,
                    above_national=rules.above_national(
                        mine.value, point.national.value, **direction
                    ),
                    target_met=rules.target_met(mine.value, standard.target, **direction),
                    illustrative=mine.illustrative,
                    real=mine.real,
                )
            )
    return rows


def yearly_trend_table(system: System, trends: list[Trend]) -> SystemTrendTable:
    """The system page's table: each standard by financial year against England's."""
    rows = trend_rows([trend.rolled_up(PeriodKind.YEAR) for trend in trends])
    table = SystemTrendTable(rows, exclude=_figures_excluded(any(row.illustrative for row in rows)))
    table.caption = (
        f"{system.shown_name}'s performance by financial year against England's; providers "
        "counted towards the system they were members of each month"
    )
    return table


def trend_description(system: System, trend: Trend) -> str:
    """The words a trend chart is read by: its span, the months above England, the last."""
    standard = trend.standard
    with_figures = [p for p in trend.points if p.system.denominator]
    if not with_figures:
        return (
            f"Line chart of England's {standard.short_name} figure month by month; "
            f"{system.shown_name} has no figures."
        )
    above = sum(
        1
        for p in with_figures
        if rules.above_national(
            p.system.value, p.national.value, higher_is_better=standard.higher_is_better
        )
    )
    first, last = with_figures[0], with_figures[-1]
    return (
        f"Line chart of {system.shown_name}'s {standard.short_name} figure month by month from "
        f"{first.period.label} to {last.period.label}, against England's and the "
        f"{standard.target_percent} target (dashed). It was above the national average in "
        f"{above} of {len(with_figures)} months; {last.period.label}: "
        f"{format_percent(last.system.value)} against England's "
        f"{format_percent(last.national.value)}."
    )


def trend_chart(system: System, trend: Trend) -> Chart:
    """The system's line against England's on one standard, month by month."""
    standard = trend.standard
    points = [
        (p.period.first_month, p.system.value, p.national.value, p.system.provenance)
        for p in trend.points
    ]
    figure = charts.trend_against_national(
        points, system_name=system.shown_name, target=standard.target
    )
    made_up = sum(1 for p in trend.points if p.system.provenance in ("illustrative", "mixed"))
    notes = [trend_description(system, trend)]
    if made_up:
        notes.append(
            f"{made_up} of the {len(trend.points)} periods use illustrative figures (all made "
            "up, or mixed with real ones): drawn as a dotted line with open markers, and named "
            "so in the table."
        )
    notes.append(charts.axis_note(figure.layout.yaxis.range[0]))
    return Chart(
        id=f"trend-{standard.code}",
        title=f"{standard.name}: {system.shown_name} against England",
        description=" ".join(note for note in notes if note),
        figure=chart_payload(figure),
        data_template="performance/_trend_chart_table.html",
        data=trend.points,
    )


def trend_summary(system: System, trends: list[Trend]) -> dict:
    """The system page's charts and what it says about its figures."""
    return {
        "charts": [trend_chart(system, trend) for trend in trends],
        "illustrative": any(trend.illustrative for trend in trends),
        "real_sources": real_sources(trend.standard for trend in trends if trend.real),
        "has_figures": any(p.system.denominator for t in trends for p in t.points),
        "observed": any(t.points for t in trends),
    }


def system_performance_context(
    system: System, standards: list[Standard], years: list[Period]
) -> dict:
    """The system page's status and its links to the latest year's league tables."""
    latest = years[-1] if years else None
    return {
        "system": system,
        "status_label": SystemStatusKind(system.status_as_at).label
        if system.status_as_at
        else "No status yet",
        "league_links": [
            {
                "standard": standard,
                "url": with_system(league_url(standard, latest), system.url_code),
            }
            for standard in standards
        ]
        if latest
        else [],
        "latest_year": latest,
    }


# -- a group of systems against the rest ----------------------------------------------------


@dataclass(frozen=True)
class ComparisonRow:
    standard: str
    side: str
    systems: int
    counted: int
    above: int
    national_value: Decimal | None
    names: str
    illustrative: bool
    standard_code: str = ""
    real: bool = False


def comparison_rows(comparison: GroupComparison) -> list[ComparisonRow]:
    """Two rows per standard: the group's, then the rest's."""
    rows = []
    for item in comparison.standards:
        for side in (item.group, item.rest):
            rows.append(
                ComparisonRow(
                    standard=item.standard.name,
                    side=f"{side.label} systems" if side is item.group else "All other systems",
                    systems=side.systems,
                    counted=side.counted,
                    above=len(side.above),
                    national_value=item.national.value,
                    names="; ".join(side.above),
                    illustrative=item.illustrative,
                    standard_code=item.standard.code,
                    real=item.real,
                )
            )
    return rows


def comparison_table(comparison: GroupComparison, wave: Wave) -> ComparisonTable:
    table = ComparisonTable(
        comparison_rows(comparison), exclude=_figures_excluded(comparison.illustrative)
    )
    table.caption = (
        f"{wave.name} systems against all others, {comparison.period.long_label}: systems "
        "above the national average on each standard"
    )
    return table


def _share(above: int, counted: int, noun: str) -> str:
    if not counted:
        return f"no {noun} with figures"
    return f"{above} of {counted} {noun} ({above / counted:.0%})"


def comparison_chart(comparison: GroupComparison) -> Chart | None:
    """The group against all other systems on each standard: the share of each side's systems
    with figures that were above the national average, as bars, with the same counts in
    words and in a table. None when the comparison has no standards."""
    items = comparison.standards
    if not items:
        return None
    group = comparison.group_label
    figure = charts.comparison_bars(
        [
            (
                capfirst(item.standard.short_name),
                (len(item.group.above), item.group.counted),
                (len(item.rest.above), item.rest.counted),
            )
            for item in items
        ],
        group,
    )
    parts = [
        f"{capfirst(item.standard.short_name)}: "
        f"{_share(len(item.group.above), item.group.counted, f'{group} systems')} against "
        f"{_share(len(item.rest.above), item.rest.counted, 'other systems')}."
        for item in items
    ]
    description = (
        f"Bar chart, for each standard, of the share of {group} systems and of all other "
        f"systems, with figures for {comparison.period.label}, that were above the national "
        "average. " + " ".join(parts)
    )
    return Chart(
        id="comparison-chart",
        title=f"{group} systems and all others above the national average, "
        f"{comparison.period.label}",
        description=description,
        figure=chart_payload(figure),
        data_template="performance/_comparison_chart_table.html",
        data=items,
    )


def comparison_picker(comparison: GroupComparison, code: str | None) -> dict:
    """The "my system" select over the systems the comparison sets side by side, and, for
    the chosen one, a sentence saying which side it is on and on which standards it was
    above the national average (from the rows the page counts; no further reads)."""
    items = comparison.standards
    systems = [row.system for row in items[0].rows] if items else []
    picker = system_picker(systems, code, None)
    chosen = picker["system"]
    if chosen is None:
        return picker
    in_group = any(row.system.pk == chosen.pk for row in items[0].group_rows)
    side = (
        f"one of the {comparison.group_label} systems"
        if in_group
        else f"not a {comparison.group_label} system, so it counts among all other systems"
    )
    standing: dict[str, list[str]] = {"above": [], "not above": [], "no figures": []}
    for item in items:
        row = next(row for row in item.rows if row.system.pk == chosen.pk)
        if not row.has_figures:
            key = "no figures"
        else:
            key = "above" if row.above_national else "not above"
        standing[key].append(item.standard.short_name)
    words = {
        "above": "above the national average on {}",
        "not above": "not above the national average on {}",
        "no figures": "without figures for {}",
    }
    found = [words[key].format(", ".join(names)) for key, names in standing.items() if names]
    picker["note"] = f"{side}; {'; '.join(found)}"
    return picker


def chosen_wave(waves: list[Wave], chosen: str | None) -> Wave | None:
    """The wave `?group=` names; without a choice, Wave 1, or else the first wave there is."""
    slug = chosen or DEFAULT_GROUP
    return next((w for w in waves if w.slug == slug), None if chosen else next(iter(waves), None))


def comparison_context(
    comparison: GroupComparison,
    wave: Wave,
    waves: list[Wave],
    years: list[Period],
    chosen_code: str | None = None,
) -> dict:
    """What the comparison page shows; with the reader's system chosen (`?system=`), the
    picker says where it stands, and links to other periods and league tables keep it."""
    period = comparison.period
    picker = comparison_picker(comparison, chosen_code)
    code = picker["system"].url_code if picker["system"] else None
    return {
        "picker": picker,
        "chosen_code": code or "",
        "period": period,
        "coverage_period": period,
        "wave": wave,
        "waves": waves,
        "comparison": comparison,
        "chart": comparison_chart(comparison),
        "illustrative": comparison.illustrative,
        "real_sources": real_sources(item.standard for item in comparison.standards if item.real),
        "period_links": period_links(
            period,
            years,
            lambda p: with_system(
                reverse("performance:compare", args=[p.slug]) + f"?group={wave.slug}", code
            ),
        ),
    }


# -- per head, where the reader asks ---------------------------------------------------------


@dataclass(frozen=True)
class PerHeadRow(LeagueRow):
    """A league row with its system's population (`systems.populations`), for the per-head
    column: the standard's denominator over the period per 1,000 people."""

    population: PopulationFigure | None = None

    @property
    def per_thousand(self) -> Decimal | None:
        if not self.has_figures or self.population is None:
            return None
        return rules.per_thousand(self.figures.denominator, self.population.all_ages)

    @property
    def per_thousand_standing(self) -> tuple[int, Decimal]:
        """Sorts rows without a rate below every rate."""
        rate = self.per_thousand
        return (0, Decimal(0)) if rate is None else (1, rate)

    @property
    def population_basis(self) -> str:
        if self.population.known:
            return self.population.basis
        return f"Not known: {self.population.reason}"


def per_head_rows(rows: list[LeagueRow], populations: Populations) -> list[PerHeadRow]:
    """The league rows, each with its system's population as far as it is known."""
    return [
        PerHeadRow(
            **{f.name: getattr(row, f.name) for f in fields(row)},
            population=populations.of(row.system.pk),
        )
        for row in rows
    ]


def per_head_note(populations: Populations, count: PerHeadCount, period: Period) -> str:
    """What the per-head column divides, by what, from when and from where: said under the
    league table (the export says it in its population columns)."""
    if not populations.label:
        return (
            f"{count.column} per 1,000 people cannot be given: no population estimate is recorded."
        )
    return (
        f"{count.column} per 1,000 people: each system's {count.column} over "
        f"{period.long_label}, as the All patients column sums them, divided by its "
        f"population, times 1,000. The populations are ONS's {populations.label} estimates "
        "for the footprints of April 2020, the same for every period; a system formed wholly "
        "by merger has the sum of its predecessors' estimates. A system that covered part of "
        "a footprint, took in part of another, or ended before those footprints were drawn "
        f"has none, and shows a dash with the reason. Source: {'; '.join(populations.sources)}."
    )


# -- published findings beside the computed counts ------------------------------------------


def finding_check(finding: PublishedFinding, rows: list[LeagueRow], group: Noun) -> FindingCheck:
    """A paragraph 5 finding beside what these data give for the same question over `rows`
    (the wave's systems, each with its figures for the finding's standard and year), with
    the reasons the two may differ. The count is `side_count`'s, which the comparison page's
    table shows too."""
    side = side_count(rows, group.plural)
    counted = [row for row in rows if row.has_figures]
    computed = len(side.above)
    agrees = (computed, side.counted) == (finding.published_count, finding.published_of)
    reasons = []
    illustrative = [row.system.name for row in counted if row.illustrative]
    if counted and len(illustrative) == len(counted):
        # Made-up figures say nothing about the paper: no other reason is worth giving.
        reasons.append(
            "these figures are illustrative, made up for demonstration, so they can neither "
            "confirm nor contradict the paper"
        )
        agrees = True
    elif illustrative:
        reasons.append(
            f"the figures for {join_names(illustrative)} are illustrative, made up for "
            "demonstration, and the rest are real"
        )
    if not agrees:
        if side.counted != finding.published_of:
            missing = [row.system.name for row in rows if not row.has_figures]
            reasons.append(
                f"these data have figures for {side.counted} of the {side.systems} systems "
                f"here, where the paper counted {finding.published_of}"
                + (f" ({join_names(missing)} without figures)" if missing else "")
            )
        level = [row.system.name for row in counted if row.value == row.national_value]
        if finding.comparison == Comparison.AT_OR_ABOVE and level:
            reasons.append(
                "the paper counted those at or above England's figure and these data count "
                f"those above it: {join_names(level)} {'was' if len(level) == 1 else 'were'} "
                "exactly at it"
            )
        if not illustrative:
            reasons.append(
                "the paper does not say how it counted providers towards systems; these data "
                "count each provider towards the systems it was a member of each month, by "
                "its share"
            )
    return FindingCheck(
        finding=finding,
        question=f"{Comparison(finding.comparison).label} for the {finding.standard.short_name} "
        "standard",
        group=group,
        computed=computed,
        counted=side.counted,
        reasons=tuple(reasons),
        comparable=len(illustrative) < len(counted),
    )


def group_noun(wave: Wave) -> Noun:
    """'Wave 1 systems', as the comparison page names the group."""
    return Noun(f"{wave.name} system", f"{wave.name} systems")


def comparison_sections(
    comparison: GroupComparison, findings: list[PublishedFinding], group: Noun
) -> list[dict]:
    """The comparison page's section per standard: its comparison and the published findings
    on it beside the group's count, from the same rows the page's table counts."""
    return [
        {
            "item": item,
            "checks": [
                finding_check(finding, item.group_rows, group)
                for finding in findings
                if finding.standard_id == item.standard.pk
            ],
        }
        for item in comparison.standards
    ]
