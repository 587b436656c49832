"""The board paper names what became of a system that merged or split, in the system page's
words: for one system, and in Annex A's notes for a wave."""

import datetime as dt

import pytest

from reports.paper import compose_document
from reports.sections import SummaryScope
from systems.models import System, Wave

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


def _text(document) -> str:
    """Every sentence of the composed paper: cover, sections, annexes and their lists."""
    parts = [*document.purpose, *document.to_note]
    for part in [*document.sections, *document.annexes]:
        parts += part.paragraphs
        for numbered in part.lists:
            parts += [numbered.title, *numbered.items, *numbered.notes]
    for section in document.sections:
        parts += [chart.description for chart in section.charts]
    return " ".join(" ".join(parts).split())


def test_paper_for_a_merged_system_names_its_successor(reference_data):
    system = System.objects.get(slug="north-west-london")
    text = _text(compose_document(SummaryScope(scope="system", as_at=TODAY, system=system)))
    assert "North West London merged into West and North London on 1 April 2026." in text


def test_paper_for_a_split_system_names_its_successors_only_once_it_split(reference_data):
    system = System.objects.get(slug="frimley-health")
    after = _text(compose_document(SummaryScope(scope="system", as_at=TODAY, system=system)))
    assert (
        "Frimley split on 1 April 2026 between Hampshire and Isle of Wight, Surrey and Sussex, "
        "and Thames Valley." in after
    )
    before = _text(
        compose_document(SummaryScope(scope="system", as_at=dt.date(2026, 3, 31), system=system))
    )
    assert "split on 1 April 2026" not in before


def test_wave_paper_notes_say_what_became_of_merged_and_split_systems(reference_data):
    wave = Wave.objects.get(slug="wave-1")
    text = _text(compose_document(SummaryScope(scope="wave", as_at=TODAY, wave=wave)))
    assert "Frimley Health split on 1 April 2026 between Hampshire and Isle of Wight" in text
    assert "Surrey Heartlands merged into Surrey and Sussex on 1 April 2026." in text
    assert "Greater Nottingham was absorbed into Nottingham and Nottinghamshire" in text
    assert "absorbed into, merged with or split between other systems" in text
    assert "Frimley Health between Hampshire and Isle of Wight" in text


def test_paper_chart_description_says_how_it_counts_successors(reference_data):
    text = _text(compose_document(SummaryScope(scope="all", as_at=TODAY)))
    assert (
        "Counts from 1 April 2026 are of the systems that succeeded those merged or split" in text
    )
    assert "(36 ICS systems)" in text
