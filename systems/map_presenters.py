"""The map a page shows beside its table: rows in (one per system, with what the page says
about it), a `MapChart` out whose figure, legend, notes and data table all come from the same
rows, so the map and its table cannot disagree. The overview, the league table and the finance
year page each build their rows and call `map_chart`."""

import datetime as dt
from dataclasses import dataclass, field, replace

from django.templatetags.static import static
from django.urls import reverse

from core.charts import NHS_DARK_GREY, STATUS_COLOURS, Chart, chart_payload
from core.wording import number_word

from . import charts
from .lineage import join_names
from .maps import MapLayout, load_map_layout
from .models import SystemStatusKind

# Areas holding systems of more than one category (their boundaries are not known apart).
MIXED = "Mixed: drawn as one area"
MIXED_COLOUR = NHS_DARK_GREY
# Systems with nothing to colour them by (no figures, no control total): left white, the
# outline every area has showing where they are.
NO_FIGURES_COLOUR = "#ffffff"


@dataclass(frozen=True)
class MapRow:
    """One system on a map and in its data table. `category` is its legend label (and
    colour); `value` what hover and table say about it; `drawn` whether and how it is drawn,
    filled in by `map_chart`."""

    system_id: int
    name: str
    url: str
    category: str
    value: str
    drawn: str = ""


@dataclass(frozen=True)
class DrawnArea:
    id: str
    features: tuple[str, ...]
    category: str
    hover: str
    url: str


@dataclass
class LegendEntry:
    label: str
    colour: str
    count: int


@dataclass
class MapChart(Chart):
    """A `Chart` that is a map: also its legend (colours with words and counts), the notes on
    what it cannot draw, the heading of the table's value column and the boundaries' source."""

    legend: list[LegendEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    value_label: str = ""
    source: str = ""


def drawn_text(row: MapRow, layout: MapLayout, names: dict[int, str]) -> str:
    """What the data table says about a row on the map."""
    if row.system_id in layout.gaps:
        return f"Not drawn: {layout.gaps[row.system_id]}"
    area = layout.area_of(row.system_id)
    others = [names[s] for s in area.systems if s != row.system_id]
    if others:
        return f"Drawn as one area with {join_names(others)}"
    return "Drawn"


def drawn_areas(rows: list[MapRow], layout: MapLayout) -> list[DrawnArea]:
    """Each area with the category of its systems (`MIXED` where they differ), the hover
    naming every system in it with its value, and the page of its system (none for several)."""
    by_id = {row.system_id: row for row in rows}
    areas = []
    for area in layout.areas:
        shown = [by_id[s] for s in area.systems]
        categories = {row.category for row in shown}
        areas.append(
            DrawnArea(
                id=area.id,
                features=area.features,
                category=categories.pop() if len(categories) == 1 else MIXED,
                # Plain text: plotly sets bold through a style attribute, which the
                # Content-Security-Policy refuses.
                hover="<br>".join(f"{row.name}: {row.value}" for row in shown),
                url=shown[0].url if len(shown) == 1 else "",
            )
        )
    return areas


def map_description(
    day: dt.date, rows: list[MapRow], legend: list[LegendEntry], subject: str, layout: MapLayout
) -> str:
    """The map in words, for those who cannot see it."""
    counts = "; ".join(f"{entry.label}: {entry.count}" for entry in legend if entry.count)
    missing = len(layout.gaps)
    drawn = len(rows) - missing
    not_drawn = (
        f" {number_word(missing).capitalize()} {'is' if missing == 1 else 'are'} not drawn "
        "(see the notes and the table)."
        if missing
        else ""
    )
    return (
        f"Map of England's local health systems on {day:%-d %B %Y}, each area coloured by "
        f"{subject}. {counts}. {drawn} of {len(rows)} systems are drawn, in "
        f"{len(layout.areas)} areas.{not_drawn} Boundaries: {layout.boundaries.title}."
    )


def map_chart(
    *,
    id: str = "systems-map",
    title: str,
    day: dt.date,
    rows: list[MapRow],
    categories: dict[str, str],
    subject: str,
    value_label: str,
) -> MapChart:
    """The map of `rows` on `day`: areas from `systems.maps`, coloured by `categories` (label
    -> colour, in legend order), with the same rows, each saying whether it is drawn, as its
    data table. Three queries (`load_map_layout`)."""
    layout = load_map_layout(day, [(row.system_id, row.name) for row in rows])
    names = {row.system_id: row.name for row in rows}
    rows = [replace(row, drawn=drawn_text(row, layout, names)) for row in rows]
    areas = drawn_areas(rows, layout)
    colours = {**categories, MIXED: MIXED_COLOUR}
    counts = {label: sum(1 for row in rows if row.category == label) for label in categories}
    legend = [
        LegendEntry(label, colour, counts[label])
        for label, colour in categories.items()
        if counts[label]
    ]
    if any(area.category == MIXED for area in areas):
        legend.append(
            LegendEntry(MIXED, MIXED_COLOUR, sum(1 for a in areas if a.category == MIXED))
        )
    notes = layout.notes + [
        f"{names[system]} is not drawn: {reason}." for system, reason in layout.gaps.items()
    ]
    return MapChart(
        id=id,
        title=title,
        description=map_description(day, rows, legend, subject, layout),
        figure=chart_payload(
            charts.system_map(areas, colours, static(layout.boundaries.static_path))
        ),
        data_template="_components/map_table.html",
        data=rows,
        legend=legend,
        notes=notes,
        value_label=value_label,
        source=layout.boundaries.citation,
    )


# -- the overview's map ------------------------------------------------------------------------


def overview_map(as_at: dt.date, systems) -> MapChart:
    """The overview's map: every system existing on `as_at` (`systems`, read by
    `SystemQuerySet.with_overview_as_at`), coloured by its status then, with the wave it was
    designated in."""
    labels = dict(SystemStatusKind.choices)
    rows = []
    for system in systems:
        label = labels[system.status_as_at]
        wave = f", designated in {system.wave_name}" if system.wave_name else ""
        rows.append(
            MapRow(
                system.pk,
                system.shown_name,
                reverse("systems:detail", args=[system.url_code]),
                label,
                f"{label}{wave}",
            )
        )
    shown = {row.category for row in rows}
    categories = {
        label: STATUS_COLOURS[label] for _, label in SystemStatusKind.choices if label in shown
    }
    return map_chart(
        title=f"Systems on {as_at:%-d %B %Y} by status",
        day=as_at,
        rows=rows,
        categories=categories,
        subject="its status (and, in the table, the wave it was designated in)",
        value_label="Status and wave",
    )
