"""Population per system: the shipped mid-2019 estimates, loaded once and again without
change, each of the 42 footprints of April 2020 on its system, and what the system page says
of a system's population, including one formed by merger and one that took part of another."""

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from core.models import valid_on
from systems.models import (
    Code,
    CodeScheme,
    CoverageScope,
    DesignationEvent,
    EventKind,
    Population,
    SystemFootprint,
)
from systems.populations import read_populations
from systems.reference import (
    BANDS_65_AND_OVER,
    DATA_DIR,
    ReferenceDataError,
    load_reference_data,
    population_row,
)
from tests.factories.systems import PopulationFactory, make_system

pytestmark = pytest.mark.django_db

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
APRIL_2020 = dt.date(2020, 4, 1)


def shipped_rows() -> dict[str, dict]:
    """The shipped populations.csv by system slug, with those aged 65 and over summed."""
    with (DATA_DIR / "populations.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["system"]: row for row in csv.DictReader(handle)}
    for row in rows.values():
        row["65+"] = sum(int(row[band]) for band in BANDS_65_AND_OVER)
    return rows


def expected_summary(all_ages: int, aged_65_and_over: int) -> str:
    share = round(aged_65_and_over / all_ages * 100, 1)
    return f"{all_ages:,}, of whom {aged_65_and_over:,} ({share}%) aged 65 and over"


def page_text(client, slug: str) -> str:
    response = client.get(reverse("systems:detail", args=[slug]))
    assert response.status_code == 200
    return response.content.decode().replace("&#x27;", "'")


# -- loading ----------------------------------------------------------------------------------


def test_populations_load_again_without_change(reference_data):
    """A second load writes no estimate, moves no version and adds no history."""
    before = list(Population.objects.values_list("system__slug", "all_ages", "version"))
    history = Population.history.count()
    summary = load_reference_data(include_snapshots=False)
    assert summary.counts["populations"]["created"] == 0
    assert summary.counts["populations"]["updated"] == 0
    assert summary.counts["populations"]["unchanged"] == 42
    assert list(Population.objects.values_list("system__slug", "all_ages", "version")) == before
    assert Population.history.count() == history


def test_every_footprint_of_april_2020_has_its_population(reference_data):
    """Each of the 42 footprints with an ONS code on 1 April 2020 has one estimate, under
    that code, on the system covering the whole footprint then; the totals are the file's."""
    codes = Code.objects.filter(
        valid_on(APRIL_2020), scheme=CodeScheme.ONS, footprint__isnull=False
    )
    assert codes.count() == 42
    for code in codes:
        whole = SystemFootprint.objects.as_at(APRIL_2020).get(
            footprint=code.footprint_id, scope=CoverageScope.WHOLE
        )
        estimate = Population.objects.get(system=whole.system_id)
        assert estimate.ons_code == code.code
        assert estimate.estimated_on == dt.date(2019, 6, 30)
        assert estimate.estimated_display == "mid-2019"
    rows = shipped_rows()
    assert Population.objects.count() == len(rows) == 42
    assert sum(p.all_ages for p in Population.objects.all()) == sum(
        int(row["all_ages"]) for row in rows.values()
    )
    assert sum(p.aged_65_and_over for p in Population.objects.all()) == sum(
        row["65+"] for row in rows.values()
    )


def test_shipped_bands_add_up_and_a_row_that_does_not_is_refused(db):
    for row in shipped_rows().values():
        assert int(row["under_65"]) + row["65+"] == int(row["all_ages"]), row["system"]
    system = make_system()
    row = {**next(iter(shipped_rows().values())), "system": system.slug}
    row["under_65"] = str(int(row["under_65"]) + 1)
    with pytest.raises(ReferenceDataError, match="do not add up"):
        population_row({system.slug: system})(row)


def test_conversion_refuses_a_code_the_project_does_not_know(tmp_path, monkeypatch):
    """The development-time conversion matches every code or stops: none is dropped."""
    monkeypatch.syspath_prepend(str(SCRIPTS))
    from convert_populations import convert

    source = tmp_path / "stp_populations_2019.csv"
    source.write_text(
        "stp20cd,stp20nm,All,Under 65,65-69,70-74,75-79,80+\n"
        "E54000041,Dorset,10,5,1,1,1,2\n"
        "E54000999,Nowhere,10,5,1,1,1,2\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit, match="E54000999"):
        convert(source)
    source.write_text(
        "stp20cd,stp20nm,All,Under 65,65-69,70-74,75-79,80+\nE54000041,Dorset,10,5,1,1,1,2\n",
        encoding="utf-8",
    )
    (row,) = convert(source)
    assert row["system"] == "dorset" and row["all_ages"] == 10


# -- what the system page says ----------------------------------------------------------------


def test_system_page_shows_its_population_with_source(analyst_client, reference_data):
    row = shipped_rows()["dorset"]
    content = page_text(analyst_client, "dorset")
    assert "Population (mid-2019)" in content
    assert expected_summary(int(row["all_ages"]), row["65+"]) in content
    assert f"Estimate for its footprint ({row['ons_code']})" in content
    assert row["source"] in content


def test_merged_successor_shows_the_sum_of_its_predecessors(analyst_client, reference_data):
    """West and North London was formed wholly from North Central and North West London."""
    rows = shipped_rows()
    parts = [rows["north-central-london"], rows["north-west-london"]]
    total = sum(int(row["all_ages"]) for row in parts)
    older = sum(row["65+"] for row in parts)
    content = page_text(analyst_client, "west-and-north-london")
    assert expected_summary(total, older) in content
    assert "Sum of predecessors' mid-2019 estimates" in content


@pytest.mark.parametrize(
    ("slug", "reason"),
    [
        ("thames-valley", "it took in part of Frimley Health"),
        ("essex", "it took in part of Hertfordshire and West Essex and part of Suffolk and"),
        ("berkshire-west", "it covered part of the Buckinghamshire, Oxfordshire and Berkshire"),
        (
            "durham-darlington-teesside-hambleton-richmondshire-and-whitby",
            "it merged into North East and North Cumbria in August 2018, before mid-2019",
        ),
    ],
)
def test_split_successor_and_part_footprint_say_not_known(
    analyst_client, reference_data, slug, reason
):
    """No figure is guessed for a system that took part of another, covered part of a
    footprint, or had ended before the estimates' footprints: the page says why."""
    content = page_text(analyst_client, slug)
    assert f"Not known: {reason}" in content
    assert "aged 65 and over" not in content.split("Population (mid-2019)")[1].split("</dd>")[0]


def test_later_change_to_a_systems_area_is_said(analyst_client, reference_data):
    content = page_text(analyst_client, "hampshire-and-the-isle-of-wight")
    assert "Its area has changed since: Hampshire and the Isle of Wight took part of" in content


def test_merger_with_a_predecessor_without_estimate_is_not_summed(db):
    """A sum over predecessors needs every one of them: one missing, and it is not known."""
    first, second, successor = make_system(name="First"), make_system(name="Second"), make_system()
    PopulationFactory(system=first, all_ages=500, aged_65_and_over=100)
    for predecessor in (first, second):
        DesignationEvent.objects.create(
            system=predecessor,
            kind=EventKind.MERGED_INTO,
            related_system=successor,
            occurred_on=dt.date(2026, 4, 1),
            source="test",
        )
    figure = read_populations().of(successor.pk)
    assert not figure.known
    assert figure.reason == "no estimate is recorded for Second, from which it was formed"
    PopulationFactory(system=second, all_ages=300, aged_65_and_over=60)
    figure = read_populations().of(successor.pk)
    assert (figure.all_ages, figure.aged_65_and_over) == (800, 160)
    assert figure.summary == "800, of whom 160 (20.0%) aged 65 and over"


def test_system_without_estimate_or_lineage_says_none_is_recorded(db):
    system = make_system()
    assert read_populations().of(system.pk).summary == (
        "Not known: no population estimate is recorded for it"
    )
