"""Finance chart figures: plain rows in, a plotly Figure out. No queries, no request.

Money arrives as Decimal £ thousands and becomes float here, at the chart layer, and nowhere
earlier. The site ships plotly's cartesian bundle, which has no waterfall trace: the waterfall
is drawn with floating bars (a bar's `base` is the running total before it), which also copes with
a running total that crosses zero, where stacking an invisible bar under a visible one cannot.
"""

from decimal import Decimal

import plotly.graph_objects as go

from core.charts import BASE_LAYOUT, NHS_BLUE, NHS_DARK_BLUE, NHS_MID_GREY

from .money import format_pounds

SURPLUS_COLOUR = "#007f3b"  # NHS green
DEFICIT_COLOUR = "#d5281b"  # NHS red
# Met and missed on a map: blue and orange, told apart with red-green colour blindness too.
MET_COLOUR = "#005eb8"  # NHS blue
MISSED_COLOUR = "#ed8b00"  # NHS orange
GRID = "#e8edee"


def waterfall_steps(
    contributions: list[tuple[str, Decimal]], limit: int = 15
) -> list[tuple[str, Decimal]]:
    """Contributions largest first (by size, either sign); beyond `limit` bars the smallest are
    added together as one "N others" step, so the steps still add up to the total."""
    ordered = sorted(contributions, key=lambda step: (-abs(step[1]), step[0]))
    if len(ordered) <= limit:
        return ordered
    kept, rest = ordered[: limit - 1], ordered[limit - 1 :]
    return [*kept, (f"{len(rest)} others", sum((amount for _, amount in rest), Decimal(0)))]


def axis_labels(names: list[str], width: int = 40) -> list[str]:
    """Names short enough to leave the bars room, still distinct (plotly merges equal
    category labels); the full name is in the hover text and the data table."""
    labels = []
    for name in names:
        label = (
            name if len(name) <= width else name[: width - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"
        )
        while label in labels:
            label += "\N{ZERO WIDTH SPACE}"
        labels.append(label)
    return labels


def contribution_waterfall(
    steps: list[tuple[str, Decimal]], total: Decimal, total_label: str
) -> go.Figure:
    """Each step's contribution as a bar floating from the running total before it, then the
    total as a bar from zero. Read top to bottom.

    steps: (label, contribution in £ thousands), in the order to draw them.
    """
    labels = [*axis_labels([label for label, _ in steps]), total_label]
    bars = {"Adds to the surplus": [], "Adds to the deficit": []}
    running = Decimal(0)
    for (name, amount), label in zip(steps, labels, strict=False):
        bars["Adds to the surplus" if amount >= 0 else "Adds to the deficit"].append(
            (label, amount, running, name)
        )
        running += amount
    colours = {"Adds to the surplus": SURPLUS_COLOUR, "Adds to the deficit": DEFICIT_COLOUR}
    figure = go.Figure()
    for name, rows in bars.items():
        if not rows:
            continue
        figure.add_trace(
            go.Bar(
                y=[label for label, _, _, _ in rows],
                x=[float(amount) for _, amount, _, _ in rows],
                base=[float(before) for _, _, before, _ in rows],
                orientation="h",
                name=name,
                marker={"color": colours[name]},
                customdata=[
                    f"{full_name}: {format_pounds(amount)}" for _, amount, _, full_name in rows
                ],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    figure.add_trace(
        go.Bar(
            y=[total_label],
            x=[float(total)],
            base=[0],
            orientation="h",
            name=total_label,
            marker={"color": NHS_DARK_BLUE},
            customdata=[f"{total_label}: {format_pounds(total)}"],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    figure.update_layout(
        **{
            **BASE_LAYOUT,
            "hovermode": "closest",
            # The legend above the bars: below, it collides with the axis title.
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
            "margin": {**BASE_LAYOUT["margin"], "l": 20, "t": 40},
        },
        barmode="overlay",
        height=130 + 34 * len(labels),
        xaxis={
            "title": {"text": "£ thousands (surplus positive, deficit negative)"},
            "gridcolor": GRID,
            "zeroline": True,
            "zerolinecolor": NHS_MID_GREY,
            "zerolinewidth": 2,
            "tickformat": ",",
        },
        yaxis={
            "categoryorder": "array",
            "categoryarray": labels,
            "autorange": "reversed",
            "automargin": True,
        },
    )
    return figure


def beating_plan_by_year(rows: list[tuple[str, int, int]]) -> go.Figure:
    """Systems better than plan, and the rest, each year, as stacked bars.

    rows: (year label, systems better than plan, systems with figures).
    """
    years = [year for year, _, _ in rows]
    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            x=years,
            y=[beat for _, beat, _ in rows],
            name="Better than plan",
            marker={"color": NHS_BLUE},
        )
    )
    figure.add_trace(
        go.Bar(
            x=years,
            y=[total - beat for _, beat, total in rows],
            name="Not better than plan",
            marker={"color": NHS_MID_GREY},
        )
    )
    figure.update_layout(
        **{
            **BASE_LAYOUT,
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
            "margin": {**BASE_LAYOUT["margin"], "t": 50},
        },
        barmode="stack",
        legend_traceorder="normal",
        height=380,
        xaxis={"type": "category"},
        yaxis={"title": {"text": "Systems"}, "gridcolor": GRID, "rangemode": "tozero"},
    )
    return figure


def outturn_against_plan(rows: list[tuple[str, Decimal, Decimal]]) -> go.Figure:
    """One system's outturn less its plan, year by year: above zero is better than plan.

    rows: (year label, plan, outturn), £ thousands.
    """
    years = [year for year, _, _ in rows]
    differences = [outturn - plan for _, plan, outturn in rows]
    figure = go.Figure(
        go.Bar(
            x=years,
            y=[float(d) for d in differences],
            name="Outturn less plan",
            marker={"color": [SURPLUS_COLOUR if d > 0 else DEFICIT_COLOUR for d in differences]},
            customdata=[format_pounds(d) for d in differences],
            hovertemplate="%{x}: %{customdata}<extra></extra>",
        )
    )
    figure.update_layout(
        **{**BASE_LAYOUT, "hovermode": "closest"},
        height=380,
        showlegend=False,
        xaxis={"type": "category"},
        yaxis={
            "title": {"text": "Outturn less plan, £ thousands", "standoff": 12},
            "automargin": True,
            "gridcolor": GRID,
            "zeroline": True,
            "zerolinecolor": NHS_MID_GREY,
            "zerolinewidth": 2,
            "tickformat": ",",
        },
    )
    return figure
