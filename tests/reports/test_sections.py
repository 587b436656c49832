"""The paper's sections as plain functions of a scope: what they say follows the data."""

import datetime as dt

import pytest

from reports.document import Section
from reports.paper import compose_document
from reports.sections import SECTIONS, RegisteredSection, SummaryScope, collect_sections
from reports.sections.designation import designation_section
from reports.sections.finance import finance_section

pytestmark = pytest.mark.django_db

AS_AT = dt.date(2018, 9, 27)


def scope_of(world, **kwargs):
    return SummaryScope(scope=kwargs.pop("scope", "all"), as_at=AS_AT, year=world["year"], **kwargs)


def test_designation_section_lists_the_wave_with_notes_on_absorbed_systems(small_world):
    result = designation_section(scope_of(small_world))
    annex = next(a for a in result.annexes if a.key == "designation")
    wave_list = annex.lists[0]
    assert wave_list.items == ["Alpha", "Bravo and Charlie", "Delta", "Echo", "Greater Foxtrot*"]
    assert wave_list.notes == ["* Greater Foxtrot was absorbed into Delta on 27 September 2018."]
    assert "Wave 1 (1 June 2018" not in result.paragraphs[1]
    assert result.paragraphs[1].startswith("Systems were designated in one wave by 27 September")
    assert "Greater Foxtrot into Delta (27 September 2018)" in result.paragraphs[2]


def test_designation_notes_stop_at_the_as_at_date(small_world):
    scope = SummaryScope(scope="all", as_at=dt.date(2018, 1, 1), year=small_world["year"])
    annex = next(a for a in designation_section(scope).annexes if a.key == "designation")
    assert annex.lists[0].notes == []
    assert annex.lists[0].items[-1] == "Greater Foxtrot"


def test_finance_section_writes_paragraph_6_from_the_figures(small_world):
    result = finance_section(scope_of(small_world))
    text = " ".join(result.paragraphs)
    # Alpha, Delta beat plan; Bravo and Charlie beat plan; Echo worse; Greater Foxtrot none.
    assert (
        "All but one of the four Wave 1 ICSs with figures delivered a better financial position "
        "than they planned in 2017/18 (Alpha, Bravo and Charlie, and Delta)." in text
    )
    assert "The remaining Wave 1 ICS, Echo, performed worse than it planned." in text
    assert "Greater Foxtrot has no figures for 2017/18" in text
    # The population is stated once and its parts add up: 4 + 3 = 7, 3 + 1 = 4.
    assert (
        "of the seven systems with figures, three of the four Wave 1 ICSs did better than plan,"
        " against one of the three non-ICSs and four of all seven." in text
    )
    assert result.paragraphs[0].startswith("The figures for 2017/18 are illustrative")


def test_finance_sentence_changes_when_the_data_change(small_world):
    from finance.models import OrganisationYear

    OrganisationYear.objects.filter(organisation__memberships__system=small_world["echo"]).update(
        outturn=500
    )
    text = " ".join(finance_section(scope_of(small_world)).paragraphs)
    assert "All four Wave 1 ICSs with figures delivered a better financial position" in text


def test_finance_tables_mark_illustrative_figures_only_when_used(small_world):
    from finance.models import OrganisationYear

    result = finance_section(scope_of(small_world))
    assert all(t.illustrative for t in result.tables + result.annexes[0].tables)
    assert "Figures" in result.annexes[0].tables[0].headers
    OrganisationYear.objects.update(illustrative=False)
    result = finance_section(scope_of(small_world))
    assert not result.illustrative
    assert "Figures" not in result.annexes[0].tables[0].headers
    assert not result.paragraphs[0].startswith("The figures for 2017/18 are illustrative")


def test_finance_section_for_a_region_counts_only_its_systems(small_world):
    result = finance_section(scope_of(small_world, scope="region", region=small_world["north"]))
    # Alpha and India met their control totals; Bravo and Charlie did not.
    assert result.paragraphs[1].startswith(
        "All but one of the three systems with figures met their control total in 2017/18, and two "
        "delivered a better financial position than they planned."
    )
    rows = result.annexes[0].tables[0].rows
    assert sorted(row[0] for row in rows) == ["Alpha", "Bravo and Charlie", "India"]


def test_finance_section_for_one_system_gives_its_figures(small_world):
    result = finance_section(scope_of(small_world, scope="system", system=small_world["delta"]))
    assert result.paragraphs[1].startswith(
        "Delta delivered a better financial position than it planned in 2017/18. Its outturn "
        "was £25k against a plan of £10k"
    )
    assert result.tables[0].headers[0] == "Organisation"
    assert len(result.tables[0].rows) == 2


def test_finance_section_is_left_out_without_a_year(small_world):
    scope = SummaryScope(scope="all", as_at=AS_AT)
    assert finance_section(scope) is None
    assert [s.key for s in collect_sections(scope)] == ["designation"]


def test_sections_run_in_the_papers_order_and_none_leaves_no_stub(small_world):
    """The paper's order is the written list; a section with nothing to say leaves no stub."""
    assert [s.key for s in SECTIONS] == ["designation", "performance", "finance", "maturity"]

    def performance(scope):
        return Section(key="performance", title="Performance", paragraphs=["All good."])

    sections = [
        SECTIONS[0],
        RegisteredSection("performance", performance),
        RegisteredSection("maturity", lambda scope: None),
        SECTIONS[2],
    ]
    keys = [s.key for s in collect_sections(scope_of(small_world), sections=sections)]
    assert keys == ["designation", "performance", "finance"]


def test_document_letters_annexes_and_resolves_references(small_world):
    document = compose_document(scope_of(small_world), generated_on=dt.date(2026, 1, 5))
    assert [a.heading for a in document.annexes] == [
        "Annex A: Integrated care systems",
        "Annex B: Systems on 27 September 2018",
        "Annex C: System control totals, 2017/18",
        "Annex D: Plan against outturn, year by year",
    ]
    text = " ".join(p for s in document.sections for p in s.paragraphs)
    assert "Annex A lists the systems designated in each wave" in text
    assert "Annex C gives every system's control total" in text
    assert "{annex:" not in text
    assert document.illustrative
    assert document.purpose[0].startswith(
        "This paper summarises, from the data held in ICS Tracker on 5 January 2026, the "
        "designation of integrated care systems as at 27 September 2018"
    )
    assert len(document.to_note) == 3


def test_sections_cost_a_bounded_number_of_queries(small_world, django_assert_max_num_queries):
    scope = scope_of(small_world)
    with django_assert_max_num_queries(40):
        collect_sections(scope)


def test_designation_section_for_a_region_counts_its_systems(small_world):
    result = designation_section(scope_of(small_world, scope="region", region=small_world["north"]))
    assert result.paragraphs[0] == (
        "On 27 September 2018, all but one of the three systems in the North region were "
        "integrated care systems."
    )
