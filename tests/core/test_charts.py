"""A chart cached keeps its HTML rendered once, not its figure (core.charts.Chart)."""

import pickle

from django.utils.html import json_script

from core.charts import Chart


def make_chart() -> Chart:
    return Chart(
        id="trend",
        title="A trend",
        description="Rising </script> & falling",
        figure={"data": [{"type": "bar", "x": ["<b>A</b>", "B & C"], "y": [1, -2.5]}]},
        data_template="_components/map_table.html",
        data=[],
    )


def test_a_cached_chart_carries_its_script_and_table_instead_of_its_figure():
    chart = make_chart()
    state = chart.__getstate__()
    assert "figure" not in state
    assert state["figure_script"] == json_script(chart.figure, "trend-figure")
    again = pickle.loads(pickle.dumps(chart))
    assert "figure" not in again.__dict__
    assert again.figure_script == chart.figure_script
    assert again.data_html == chart.data_html
    # The figure is read back, equal, from its script when something asks for it.
    assert again.figure == make_chart().figure
    assert again == make_chart()


def test_the_script_cannot_end_early_or_inject_markup():
    script = make_chart().figure_script
    assert script.count("</script>") == 1
    assert "<b>" not in script
    assert script.startswith('<script id="trend-figure" type="application/json">')


def test_a_chart_without_a_data_template_has_no_data_html():
    chart = make_chart()
    chart.data_template = ""
    assert chart.data_html == ""
    assert pickle.loads(pickle.dumps(chart)).data_html == ""
