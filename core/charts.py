"""What every chart shares: the NHS palette, the base layout, and the `Chart` a page shows
(the figure as JSON for `json_script`, with words for those who cannot see it)."""

import json
from dataclasses import dataclass, field
from functools import cached_property

import plotly.graph_objects as go
from django.template.loader import render_to_string
from django.utils.html import json_script

from .html import compact

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

    @cached_property
    def figure_script(self) -> str:
        """The figure as the page carries it: a JSON script element for static/js/charts.js."""
        return json_script(self.figure, self.figure_json_id)

    @cached_property
    def data_html(self) -> str:
        """The chart's data table, rendered from `data_template` ("" without one)."""
        if not self.data_template:
            return ""
        return compact(render_to_string(self.data_template, {"chart": self}))

    # Cached (pickled), a chart keeps its HTML rendered once instead of its figure: a warm page
    # neither encodes the figure again (a map's boundaries are hundreds of kilobytes) nor
    # renders its data table, and unpickling a string costs next to nothing. The figure is
    # read back from its script only if something asks for it.
    def __getstate__(self) -> dict:
        state = dict(self.__dict__, figure_script=self.figure_script, data_html=self.data_html)
        state.pop("figure", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __getattr__(self, name: str):
        if name == "figure" and "figure_script" in self.__dict__:
            script = self.__dict__["figure_script"]
            body = script[script.index(">") + 1 : script.rindex("</script>")]
            self.__dict__["figure"] = figure = json.loads(body)
            return figure
        raise AttributeError(name)


def chart_payload(figure: go.Figure) -> dict:
    """The figure as plain JSON types, ready for `json_script`."""
    return json.loads(figure.to_json())
