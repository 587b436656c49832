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


def trend_against_national(
    points: list[tuple[dt.date, Decimal | None, Decimal | None]],
    *,
    system_name: str,
    target: Decimal,
) -> go.Figure:
    """A system's value and the national value through time, with the target as a dashed line.

    points: (first day of the period, system value, national value), values as fractions.
    """
    days = [day.isoformat() for day, _, _ in points]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=days,
            y=[_percent(mine) for _, mine, _ in points],
            name=system_name,
            mode="lines",
            line={"color": NHS_BLUE, "width": 3},
            hovertemplate="%{y:.1f}%",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=days,
            y=[_percent(nation) for _, _, nation in points],
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
    values = [v for _, mine, nation in points for v in (mine, nation) if v is not None]
    low = min([*(float(v * 100) for v in values), float(target * 100)], default=0)
    figure.update_layout(
        **BASE_LAYOUT,
        height=340,
        yaxis={
            "title": {"text": "% within the standard"},
            "gridcolor": GRID,
            "range": [max(0.0, low - 5), 100],
            "ticksuffix": "%",
        },
        xaxis={"gridcolor": GRID, "type": "date"},
    )
    return figure


def league_bars(
    rows: list[tuple[str, Decimal, bool]], *, national: Decimal | None, target: Decimal
) -> go.Figure:
    """Each system's value as a bar, best first, coloured by whether it was above the national
    average, with the national value and the target as vertical lines.

    rows: (system name, value as a fraction, above national), in the order to draw them.
    """
    names = [name for name, _, _ in rows]
    figure = go.Figure()
    for above, label, colour in (
        (True, "Above national", ABOVE_COLOUR),
        (False, "Not above national", BELOW_COLOUR),
    ):
        mine = [(name, value) for name, value, is_above in rows if bool(is_above) == above]
        if not mine:
            continue
        figure.add_trace(
            go.Bar(
                y=[name for name, _ in mine],
                x=[_percent(value) for _, value in mine],
                orientation="h",
                name=label,
                marker={"color": colour},
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
    low = min([*values, _percent(target), _percent(national) or 100], default=0)
    figure.update_layout(
        **{
            **BASE_LAYOUT,
            "hovermode": "closest",
            "margin": {**BASE_LAYOUT["margin"], "t": 50},
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        },
        barmode="overlay",
        height=160 + 22 * len(rows),
        xaxis={
            "title": {"text": "% within the standard"},
            "gridcolor": GRID,
            "range": [max(0.0, low - 5), 100],
            "ticksuffix": "%",
        },
        yaxis={
            "categoryorder": "array",
            "categoryarray": names,
            "autorange": "reversed",
            "automargin": True,
        },
    )
    return figure
