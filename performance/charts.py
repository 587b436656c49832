"""Performance chart figures: plain rows in, a plotly Figure out. No queries, no request.

Values arrive as Decimal fractions and become float percentages here, at the chart layer. The
site ships plotly's basic bundle (scatter, bar, pie), which is all these need.
"""

import datetime as dt
from decimal import Decimal

import plotly.graph_objects as go

from core.charts import BASE_LAYOUT, NHS_BLUE, NHS_DARK_GREY

TARGET_COLOUR = "#d5281b"  # NHS red
ABOVE_COLOUR = NHS_BLUE
BELOW_COLOUR = "#aeb7bd"
GRID = "#e8edee"


def _percent(value: Decimal | None) -> float | None:
    return None if value is None else float(value * 100)


def axis_start(values: list[float]) -> float:
    """Where a percentage axis starts so the values can be told apart: five points below the
    lowest, down to the nearest five, never below zero."""
    low = min(values, default=0.0)
    return max(0.0, (low - 5) // 5 * 5)


def note_axis_start(figure: go.Figure, start: float) -> None:
    """Say on the chart that its value axis does not start at zero, when it does not."""
    if start <= 0:
        return
    figure.add_annotation(
        text=axis_note(start),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-58,
        showarrow=False,
        font={"size": 12, "color": NHS_DARK_GREY},
    )
    figure.update_layout(
        margin={**BASE_LAYOUT["margin"], **figure.layout.margin.to_plotly_json(), "b": 100}
    )


def axis_note(start: float) -> str:
    """The words that say where a value axis starts, when not at zero."""
    return f"The axis starts at {start:.0f}%, not at zero." if start > 0 else ""


def _shown_only(values: list, keep: list[bool]) -> list:
    """The values where `keep` holds, and the neighbours either side, so the pieces of a line
    drawn in two styles meet; None elsewhere."""
    near = [any(keep[j] for j in (i - 1, i, i + 1) if 0 <= j < len(keep)) for i in range(len(keep))]
    return [value if near[i] else None for i, value in enumerate(values)]


def trend_against_national(
    points: list[tuple[dt.date, Decimal | None, Decimal | None, str]],
    *,
    system_name: str,
    target: Decimal,
) -> go.Figure:
    """A system's value and the national value through time, with the target as a dashed line.
    The system's real figures are a solid line with filled markers; periods with any made-up
    figures a dotted line with open markers, each with its own legend entry.

    points: (first day of the period, system value, national value, the system's provenance:
    'real', 'illustrative', 'mixed' or 'none'), values as fractions.
    """
    days = [day.isoformat() for day, _, _, _ in points]
    mine = [_percent(value) for _, value, _, _ in points]
    made_up = [provenance in ("illustrative", "mixed") for _, _, _, provenance in points]
    figure = go.Figure()
    if not all(made_up):
        real = [None if flag else value for value, flag in zip(mine, made_up, strict=True)]
        figure.add_trace(
            go.Scatter(
                x=days,
                y=real,
                name=f"{system_name} (real figures)" if any(made_up) else system_name,
                mode="lines+markers",
                line={"color": NHS_BLUE, "width": 3},
                marker={"symbol": "circle", "size": 6},
                hovertemplate="%{y:.1f}%",
            )
        )
    if any(made_up):
        figure.add_trace(
            go.Scatter(
                x=days,
                y=_shown_only(mine, made_up),
                name=f"{system_name} (illustrative or mixed figures)",
                mode="lines+markers",
                line={"color": NHS_BLUE, "width": 2, "dash": "dot"},
                marker={"symbol": "circle-open", "size": 7},
                hovertemplate="%{y:.1f}% (illustrative or mixed)",
            )
        )
    figure.add_trace(
        go.Scatter(
            x=days,
            y=[_percent(nation) for _, _, nation, _ in points],
            name="England",
            mode="lines",
            line={"color": NHS_DARK_GREY, "width": 2},
            hovertemplate="%{y:.1f}%",
        )
    )
    if days:
        figure.add_trace(
            go.Scatter(
                x=[days[0], days[-1]],
                y=[float(target * 100)] * 2,
                name=f"Target ({float(target * 100):.0f}%)",
                mode="lines",
                line={"color": TARGET_COLOUR, "width": 2, "dash": "dash"},
                hoverinfo="skip",
            )
        )
    values = [v for _, mine, nation, _ in points for v in (mine, nation) if v is not None]
    start = axis_start([*(float(v * 100) for v in values), float(target * 100)])
    figure.update_layout(
        **BASE_LAYOUT,
        height=360,
        yaxis={
            "title": {"text": "% within the standard"},
            "gridcolor": GRID,
            "range": [start, 100],
            "ticksuffix": "%",
        },
        xaxis={"gridcolor": GRID, "type": "date"},
    )
    note_axis_start(figure, start)
    return figure


CHOSEN_SUFFIX = " (chosen)"


def league_bars(
    rows: list[tuple[str, Decimal, bool]],
    *,
    national: Decimal | None,
    target: Decimal,
    chosen: str | None = None,
) -> go.Figure:
    """Each system's value as a bar, best first, coloured by whether it was above the national
    average, with the national value and the target as vertical lines. The chosen system's
    bar (by name) is outlined and its label says "(chosen)", so it is found without colour.

    rows: (system name, value as a fraction, above national), in the order to draw them.
    """
    names = [name + (CHOSEN_SUFFIX if name == chosen else "") for name, _, _ in rows]
    labelled = [(label, *row[1:]) for label, row in zip(names, rows, strict=True)]
    figure = go.Figure()
    for above, label, colour in (
        (True, "Above national", ABOVE_COLOUR),
        (False, "Not above national", BELOW_COLOUR),
    ):
        mine = [(name, value) for name, value, is_above in labelled if bool(is_above) == above]
        if not mine:
            continue
        figure.add_trace(
            go.Bar(
                y=[name for name, _ in mine],
                x=[_percent(value) for _, value in mine],
                orientation="h",
                name=label,
                marker={
                    "color": colour,
                    "line": {
                        "color": [
                            NHS_DARK_GREY if name.endswith(CHOSEN_SUFFIX) else colour
                            for name, _ in mine
                        ],
                        "width": [3 if name.endswith(CHOSEN_SUFFIX) else 0 for name, _ in mine],
                    },
                },
                hovertemplate="%{y}: %{x:.1f}%<extra></extra>",
            )
        )
    # The national value and the target as vertical lines across every bar, drawn as traces
    # so the legend names them.
    lines = [(target, TARGET_COLOUR, "dash", f"Target ({_percent(target):.0f}%)")]
    if national is not None:
        lines.insert(0, (national, NHS_DARK_GREY, "solid", f"England ({_percent(national):.1f}%)"))
    for value, colour, dash, text in lines if names else []:
        figure.add_trace(
            go.Scatter(
                x=[_percent(value), _percent(value)],
                y=[names[0], names[-1]],
                mode="lines",
                name=text,
                line={"color": colour, "width": 2, "dash": dash},
                hoverinfo="skip",
            )
        )
    values = [_percent(value) for _, value, _ in rows]
    start = axis_start([*values, _percent(target), _percent(national) or 100])
    figure.update_layout(
        **{
            **BASE_LAYOUT,
            "hovermode": "closest",
            "margin": {**BASE_LAYOUT["margin"], "t": 50},
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        },
        barmode="overlay",
        height=190 + 22 * len(rows),
        xaxis={
            "title": {"text": "% within the standard"},
            "gridcolor": GRID,
            "range": [start, 100],
            "ticksuffix": "%",
        },
        yaxis={
            "categoryorder": "array",
            "categoryarray": names,
            "autorange": "reversed",
            "automargin": True,
        },
    )
    note_axis_start(figure, start)
    return figure


def comparison_bars(
    rows: list[tuple[str, tuple[int, int], tuple[int, int]]], group_label: str
) -> go.Figure:
    """For each standard, the share of a group's systems with figures that were above the
    national average, beside the share of all other systems', as pairs of horizontal bars;
    each bar is labelled with its count ("3 of 10"), so the figures can be read without
    colour. A side with no system with figures has no bar.

    rows: (standard, (group above, group counted), (rest above, rest counted)), in page order.
    """
    figure = go.Figure()
    standards = [standard for standard, _, _ in rows]
    for index, (label, colour) in enumerate(
        ((f"{group_label} systems", ABOVE_COLOUR), ("All other systems", BELOW_COLOUR))
    ):
        sides = [row[1 + index] for row in rows]
        figure.add_trace(
            go.Bar(
                y=standards,
                x=[100 * above / counted if counted else None for above, counted in sides],
                orientation="h",
                name=label,
                marker={"color": colour},
                text=[f"{above} of {counted}" if counted else "" for above, counted in sides],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=(
                    f"{label}, %{{y}}: %{{text}} above national (%{{x:.0f}}%)<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        **{
            key: value
            for key, value in BASE_LAYOUT.items()
            if key not in ("hovermode", "legend", "margin")
        },
        barmode="group",
        hovermode="closest",
        height=140 + 90 * len(rows),
        xaxis={
            "title": {"text": "Systems with figures<br>above the national average (%)"},
            "range": [0, 115],
            "tickvals": [0, 25, 50, 75, 100],
            "gridcolor": GRID,
            "fixedrange": True,
        },
        # Standards read top to bottom in page order.
        yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
        # Below the two-line axis title, so neither covers the other on a phone.
        margin={**BASE_LAYOUT["margin"], "b": 130},
        legend={"orientation": "h", "y": -0.38, "x": 0},
    )
    return figure
