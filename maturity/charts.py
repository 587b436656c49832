"""The maturity heat map: plain rows in (a `Matrix`), a plotly Figure out. No queries.

The page sends it through `chart_payload`; the board summaries draw the same figure to an image.
"""

import plotly.graph_objects as go

from core.charts import BASE_LAYOUT, NHS_BLUE, NHS_DARK_BLUE

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

    matrix: a `maturity.rules.Matrix` (columns, rows of cells with level, score, assessed).
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
