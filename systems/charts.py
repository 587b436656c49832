"""Chart figures: plain rows in, a plotly Figure out. No queries, no request.

Pages send `chart_payload(figure)` through `json_script`; the board summaries (later) draw the
same figures to images, so a page and a paper cannot show different pictures.
"""

import datetime as dt
import json
from dataclasses import dataclass, field

import plotly.graph_objects as go

NHS_BLUE = "#005eb8"
NHS_DARK_BLUE = "#003087"
NHS_AQUA_GREEN = "#00a499"
NHS_WARM_YELLOW = "#ffb81c"
NHS_MID_GREY = "#768692"
NHS_DARK_GREY = "#425563"

STATUS_COLOURS = {
    "STP": NHS_MID_GREY,
    "Shadow ACS": NHS_WARM_YELLOW,
    "ICS": NHS_BLUE,
    "ICS with statutory ICB": NHS_DARK_BLUE,
    "Merged or absorbed": "#aeb7bd",
    "Closed": "#aeb7bd",
}

BASE_LAYOUT = {
    # No plotly template: it would add ~8 kB to every page, and the styling is ours.
    "template": "none",
    "font": {"family": "Frutiger W01, Arial, sans-serif", "size": 14, "color": "#212b32"},
    "paper_bgcolor": "#ffffff",
    "plot_bgcolor": "#ffffff",
    "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
    "hovermode": "x unified",
    "legend": {"orientation": "h", "y": -0.15},
}


@dataclass
class Chart:
    """What a page needs to show a chart: the figure, and words for those who cannot see it."""

    id: str
    title: str
    description: str
    figure: dict
    data_template: str = ""
    data: list = field(default_factory=list)

    @property
    def figure_json_id(self) -> str:
        return f"{self.id}-figure"


def chart_payload(figure: go.Figure) -> dict:
    """The figure as plain JSON types, ready for `json_script`."""
    return json.loads(figure.to_json())


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
