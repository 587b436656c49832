"""The maturity section as a plain function of a scope: each system's latest rating under each
framework as at the date, in words, the /maturity/ page's heat map and Table; nothing when no
system in scope was rated by then."""

import datetime as dt
import shutil
import subprocess

import pytest

from maturity.models import MaturityLevel
from reports.paper import compose_document, write_document
from reports.sections import SummaryScope
from reports.sections.maturity import maturity_section
from tests.factories.maturity import AssessmentFactory, make_framework
from tests.reports.test_sections_performance import observe, wave_values

pytestmark = pytest.mark.django_db

AS_AT = dt.date(2018, 9, 27)
LEVELS = ("Outstanding", "Advanced", "Making progress", "Needs most improvement")


def scope_of(world, **kwargs):
    return SummaryScope(
        scope=kwargs.pop("scope", "all"),
        as_at=kwargs.pop("as_at", AS_AT),
        year=world["year"],
        **kwargs,
    )


@pytest.fixture
def dashboard(small_world):
    """The July 2017 STP progress dashboard: Alpha and Delta Outstanding, Echo Needs most
    improvement; the other five systems unrated."""
    framework = make_framework(
        name="STP progress dashboard (July 2017)",
        slug="stp-dashboard",
        levels=LEVELS,
        in_force_from=dt.date(2017, 7, 1),
    )
    for name, level in (
        ("alpha", "Outstanding"),
        ("delta", "Outstanding"),
        ("echo", "Needs most improvement"),
    ):
        AssessmentFactory(
            system=small_world[name],
            level=MaturityLevel.objects.get(framework=framework, name=level),
            assessed_on=dt.date(2017, 7, 1),
            source="NHS England board paper, July 2017",
        )
    return small_world


def test_maturity_section_is_left_out_without_ratings(small_world):
    assert maturity_section(scope_of(small_world)) is None


def test_maturity_section_is_left_out_when_ratings_come_after_the_date(dashboard):
    """A rating given after the summary's date was not held then."""
    assert maturity_section(scope_of(dashboard, as_at=dt.date(2017, 6, 30))) is None


def test_maturity_section_counts_who_was_rated_at_each_level(dashboard):
    result = maturity_section(scope_of(dashboard))
    assert result.title == "Maturity ratings as at 27 September 2018"
    assert result.paragraphs[0] == (
        "Two of the eight STPs were rated Outstanding in the STP progress dashboard (July 2017): "
        "Alpha and Delta. One was rated Needs most improvement: Echo. The other five have no "
        "rating recorded under it: only ratings found in the sources are loaded, none made up."
    )
    assert result.to_note == [
        "Two of the eight STPs were rated Outstanding in the STP progress dashboard (July 2017): "
        "Alpha and Delta."
    ]


def test_maturity_section_draws_the_rated_systems_and_tables_every_rating(dashboard):
    result = maturity_section(scope_of(dashboard))
    chart = result.charts[0]
    assert [trace.y for trace in chart.figure.data][1] == ("Alpha", "Delta", "Echo")
    assert "five systems in scope with no rating are left out" in chart.description
    annex = result.annexes[0]
    table = annex.tables[0]
    assert table.headers[:4] == ["System", "Framework", "Assessed", "Level"]
    assert "Source" in table.headers
    assert [row[0] for row in table.rows] == ["Alpha", "Delta", "Echo"]
    assert [row[3] for row in table.rows] == [
        "Outstanding",
        "Outstanding",
        "Needs most improvement",
    ]
    assert not table.illustrative
    assert len(table.values[0]) == len(table.headers)


def test_maturity_section_for_a_region_counts_its_systems(dashboard):
    result = maturity_section(scope_of(dashboard, scope="region", region=dashboard["south"]))
    # South: Delta, Echo, Golf and Hotel.
    assert result.paragraphs[0].startswith(
        "One of the four STPs in the South region was rated Outstanding in the STP progress "
        "dashboard (July 2017): Delta. One was rated Needs most improvement: Echo. The other two"
    )


def test_maturity_section_for_one_system_names_its_rating(dashboard):
    result = maturity_section(scope_of(dashboard, scope="system", system=dashboard["echo"]))
    assert result.paragraphs[0] == (
        "Echo was rated Needs most improvement in the STP progress dashboard (July 2017)."
    )
    assert len(result.tables[0].rows) == 1
    assert result.annexes == []


def test_maturity_section_names_a_framework_with_no_rating_in_scope(dashboard):
    make_framework(
        name="ICS maturity matrix (2018-21)", slug="matrix", in_force_from=dt.date(2018, 1, 1)
    )
    text = " ".join(maturity_section(scope_of(dashboard)).paragraphs)
    assert (
        "No system in scope had a rating under the ICS maturity matrix (2018-21) by 27 September "
        "2018." in text
    )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_board_summary_pdf_has_performance_and_maturity_sections(dashboard, tmp_path):
    """The 2017/18 summary of all systems, written as a PDF and read back, carries both new
    sections' headings and sentences, in the paper's order, and their annexes."""
    for other in dashboard["others"]:
        observe(other, 7000, 10000)
    wave_values(dashboard, (90, 90, 90, 50))
    document = compose_document(scope_of(dashboard), generated_on=dt.date(2026, 1, 5))
    assert [s.key for s in document.sections] == [
        "designation",
        "performance",
        "finance",
        "maturity",
    ]
    path = tmp_path / "summary.pdf"
    write_document(document, "pdf", path, charts=False)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    squashed = " ".join(text.split())
    assert "Performance against national standards, 2017/18" in squashed
    assert (
        "All but one of the four Wave 1 ICSs with figures performed above the national average "
        "for the cancer 62-day standard in 2017/18 (Alpha, Bravo and Charlie, and Delta)."
        in squashed
    )
    assert "Greater Foxtrot has no figures for 2017/18" in squashed
    assert "Maturity ratings as at 27 September 2018" in squashed
    assert (
        "Two of the eight STPs were rated Outstanding in the STP progress dashboard (July 2017): "
        "Alpha and Delta." in squashed
    )
    assert "Annex C: Performance against national standards, 2017/18" in squashed
    assert "Annex F: Maturity ratings as at 27 September 2018" in squashed
    assert squashed.index("Performance against national standards") < squashed.index(
        "Finance: system control totals"
    )
