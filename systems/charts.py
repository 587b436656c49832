"""Chart figures: plain rows in, a plotly Figure out. No queries, no request.

Pages send `chart_payload(figure)` through `json_script`; the board summaries (later) draw the
same figures to images, so a page and a paper cannot show different pictures.
"""

import datetime as dt

import plotly.graph_objects as go

from core.charts import (
    BASE_LAYOUT,
    NHS_AQUA_GREEN,
    NHS_BLUE,
    NHS_DARK_BLUE,
    NHS_DARK_GREY,
    NHS_MID_GREY,
    STATUS_COLOURS,
)


def designation_over_time(points, waves) -> go.Figure:
    """ICS systems and footprints covered by an ICS, as steps through time, waves marked.

    points: objects with day, ics_systems, ics_footprints, footprints.
    waves: (name, effective day, date text).
    """
    days = [p.day for p in points]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=days,
            y=[p.ics_systems for p in points],
            name="ICS systems",
            mode="lines",
            line={"shape": "hv", "color": NHS_BLUE, "width": 3},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=days,
            y=[p.ics_footprints for p in points],
            name="Footprints covered by an ICS",
            mode="lines",
            line={"shape": "hv", "color": NHS_AQUA_GREEN, "width": 3, "dash": "dash"},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=days,
            y=[p.footprints for p in points],
            name="All footprints",
            mode="lines",
            line={"shape": "hv", "color": NHS_MID_GREY, "width": 1},
        )
    )
    for index, (name, day, _text) in enumerate(waves):
        figure.add_shape(
            type="line",
            x0=day,
            x1=day,
            y0=0,
            y1=1,
            yref="paper",
            line={"color": NHS_DARK_GREY, "width": 1, "dash": "dot"},
        )
        figure.add_annotation(
            x=day,
            y=1.02 + 0.07 * (index % 3),
            yref="paper",
            yanchor="bottom",
            text=name,
            showarrow=False,
            xanchor="left",
            font={"size": 11, "color": NHS_DARK_GREY},
            bgcolor="rgba(255,255,255,0.8)",
        )
    figure.update_layout(
        **{**BASE_LAYOUT, "margin": {**BASE_LAYOUT["margin"], "t": 70}},
        height=440,
        yaxis={"title": {"text": "Count"}, "rangemode": "tozero", "gridcolor": "#e8edee"},
        xaxis={"title": {"text": ""}, "gridcolor": "#e8edee"},
    )
    return figure


def status_timeline(periods, until: dt.date) -> go.Figure:
    """A system's statuses as bars along time.

    periods: (status label, start day, end day or None for "still holds").
    """
    figure = go.Figure()
    for label, start, end in periods:
        finish = end or until
        duration_ms = ((finish - start).days + 1) * 86_400_000
        figure.add_trace(
            go.Bar(
                x=[duration_ms],
                base=[start.isoformat()],
                y=["Status"],
                orientation="h",
                name=label,
                marker={"color": STATUS_COLOURS.get(label, NHS_BLUE)},
                hovertemplate=f"{label}: {start:%d %b %Y} to "
                + (f"{end:%d %b %Y}" if end else "now")
                + "<extra></extra>",
            )
        )
    figure.update_layout(
        **{**BASE_LAYOUT, "hovermode": "closest"},
        barmode="stack",
        height=200,
        xaxis={"type": "date", "gridcolor": "#e8edee"},
        yaxis={"visible": False},
        showlegend=True,
    )
    return figure


# Worst to best: NHS warm yellow, pale blue, blue, dark blue. Text on the cells is coloured
# for contrast by plotly, and every cell names its level, so colour is never the only cue.
MATURITY_COLOURS = ["#ffb81c", "#41b6e6", NHS_BLUE, NHS_DARK_BLUE]
# The cells' gaps separate them; grid lines through their middles would only add noise.
MATRIX_AXIS = {
    "type": "category",
    "automargin": True,
    "fixedrange": True,
    "showgrid": False,
    "zeroline": False,
    "ticks": "",
}


def maturity_heatmap(matrix) -> go.Figure:
    """Systems (rows) by frameworks or assessment dates (columns), each cell coloured by its
    level's place between the framework's worst (0) and best (1) and labelled with the level.

    matrix: a `systems.maturity.Matrix` (columns, rows of cells with level, score, assessed).
    """
    names = [row.system for row in matrix.rows]
    z = [[cell.score if cell else None for cell in row.cells] for row in matrix.rows]
    text = [
        [
            (cell.level + (" *" if cell.unverified or cell.illustrative else "")) if cell else ""
            for cell in row.cells
        ]
        for row in matrix.rows
    ]
    hover = [
        [
            f"{cell.level}, {cell.assessed}"
            + (" (unverified)" if cell.unverified else "")
            + (" (illustrative)" if cell.illustrative else "")
            if cell
            else "Not rated"
            for cell in row.cells
        ]
        for row in matrix.rows
    ]
    steps = len(MATURITY_COLOURS)
    colourscale = [[index / (steps - 1), colour] for index, colour in enumerate(MATURITY_COLOURS)]
    figure = go.Figure()
    # Every cell as a pale tile first, so unrated cells read as cells of the grid.
    figure.add_trace(
        go.Heatmap(
            z=[[0] * len(matrix.columns) for _ in matrix.rows],
            x=matrix.columns,
            y=names,
            colorscale=[[0, "#e8edee"], [1, "#e8edee"]],
            showscale=False,
            hoverinfo="skip",
            xgap=2,
            ygap=2,
        )
    )
    figure.add_trace(
        go.Heatmap(
            z=z,
            x=matrix.columns,
            y=names,
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
            hoverongaps=False,
            zmin=0,
            zmax=1,
            colorscale=colourscale,
            xgap=2,
            ygap=2,
            colorbar={
                "tickvals": [score for score, _ in matrix.scale],
                "ticktext": [label for _, label in matrix.scale],
                "thickness": 14,
                "len": min(1.0, 300 / max(1, 26 * len(names))),
                "yanchor": "top",
                "y": 1,
            },
        )
    )
    layout = {
        **BASE_LAYOUT,
        "hovermode": "closest",
        "margin": {"l": 20, "r": 20, "t": 40, "b": 20},
    }
    figure.update_layout(
        **layout,
        height=max(220, 26 * len(names) + 90),
        xaxis={**MATRIX_AXIS, "side": "top"},
        yaxis={**MATRIX_AXIS, "autorange": "reversed"},
    )
    return figure
