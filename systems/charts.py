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
    NHS_DARK_GREY,
    NHS_MID_GREY,
    STATUS_COLOURS,
)


def designation_over_time(points, waves) -> go.Figure:
    """ICS systems and footprints covered by an ICS, as steps through time, waves marked.

    points: objects with day, day_display, ics_systems, ics_footprints, footprints.
    waves: (name, effective day, date text).
    """
    days = [p.day for p in points]
    figure = go.Figure()
    steps = (
        ("ics_systems", "ICS systems", {"color": NHS_BLUE, "width": 3}),
        (
            "ics_footprints",
            "Footprints covered by an ICS",
            {"color": NHS_AQUA_GREEN, "width": 3, "dash": "dash"},
        ),
        ("footprints", "All footprints", {"color": NHS_MID_GREY, "width": 1}),
    )
    for count, name, line in steps:
        figure.add_trace(
            go.Scatter(
                x=days,
                y=[getattr(p, count) for p in points],
                # The hover says each change's date no more precisely than it is known.
                text=[p.day_display for p in points],
                hovertemplate=f"{name}: %{{y}} (from %{{text}})<extra></extra>",
                name=name,
                mode="lines",
                line={"shape": "hv", **line},
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
        xaxis={"title": {"text": ""}, "gridcolor": "#e8edee", "hoverformat": "%B %Y"},
    )
    return figure


def status_timeline(periods, until: dt.date) -> go.Figure:
    """A system's statuses as bars along time.

    periods: (status label, start day, end day or None for "still holds", hover text saying
    the period no more precisely than it is known).
    """
    figure = go.Figure()
    for label, start, end, hover in periods:
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
                hovertemplate=hover + "<extra></extra>",
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


def system_map(areas, categories: dict[str, str], boundaries_url: str) -> go.Figure:
    """England's systems as filled areas, one trace per category so each has its colour.

    areas: objects with features (the ids, in the boundary file at `boundaries_url`, of the
    features that draw the area: more than one for an area drawn as its parts), category (a
    key of `categories`, label -> colour), hover (the words shown on hover) and url (opened on
    click; "" for none). Drawn with plotly's geographic traces over that GeoJSON file, which
    the browser fetches once from this site and caches: no base map, nothing fetched from
    elsewhere, and the page carries only the areas' ids and words.
    """
    figure = go.Figure()
    for label, colour in categories.items():
        shown = [(feature, a) for a in areas if a.category == label for feature in a.features]
        if not shown:
            continue
        figure.add_trace(
            go.Choropleth(
                geojson=boundaries_url,
                locations=[feature for feature, _ in shown],
                z=[1] * len(shown),
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                marker={"line": {"color": NHS_DARK_GREY, "width": 0.6}},
                customdata=[[a.hover, a.url] for _, a in shown],
                hovertemplate="%{customdata[0]}<extra></extra>",
                name=label,
            )
        )
    figure.update_layout(
        **{**BASE_LAYOUT, "hovermode": "closest", "margin": {"l": 0, "r": 0, "t": 0, "b": 0}},
        height=560,
        showlegend=False,
        dragmode=False,
        geo={
            "visible": False,
            "fitbounds": "locations",
            "projection": {"type": "mercator"},
            "bgcolor": "rgba(0,0,0,0)",
        },
    )
    return figure
