"""Organisation names shown in title case where ODS gives capitals (core.names)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.names import ACRONYMS, readable_name


@pytest.mark.parametrize(
    ("published", "shown"),
    [
        ("THE DENSHAM SURGERY", "The Densham Surgery"),
        ("NHS NORTH OF ENGLAND CCG", "NHS North of England CCG"),
        ("ST JOHN'S MEDICAL CENTRE (A)", "St John's Medical Centre (A)"),
        ("DR A SMITH & PARTNERS", "Dr A Smith & Partners"),
        (
            "NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST",
            "Newcastle upon Tyne Hospitals NHS Foundation Trust",
        ),
        ("WESTON-SUPER-MARE PCN", "Weston-super-Mare PCN"),
        ("O'NEILL GP PRACTICE", "O'Neill GP Practice"),
        ("MCKENZIE HOUSE", "McKenzie House"),
        ("THE 1ST STREET SURGERY", "The 1st Street Surgery"),
        ("BARTS HEALTH (THE ROYAL LONDON)", "Barts Health (The Royal London)"),
        ("A&E DEPARTMENT", "A&E Department"),
    ],
)
def test_readable_name_of_a_capitalised_name(published, shown):
    assert readable_name(published) == shown


@pytest.mark.parametrize("name", ["Guy's and St Thomas' NHS Foundation Trust", "", None, "123"])
def test_readable_name_leaves_names_people_wrote(name):
    """A name with a lower-case letter (or none to change) is shown as it is."""
    assert readable_name(name) == name


capitalised = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ &'()-.,0123456789", max_size=60)


@given(capitalised)
def test_readable_name_changes_only_case(name):
    """Only letters' case changes: the same name, read without case, and the same length."""
    shown = readable_name(name)
    assert shown.upper() == name


@given(capitalised)
def test_readable_name_is_stable(name):
    """Shown twice, a name is shown the same: a readable name is left alone."""
    once = readable_name(name)
    assert readable_name(once) == once


@given(st.lists(st.sampled_from(sorted(ACRONYMS)), min_size=1, max_size=4))
def test_readable_name_keeps_acronyms(words):
    shown = readable_name("SURGERY " + " ".join(words)).split(" ")
    assert shown[1:] == words
