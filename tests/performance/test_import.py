"""Importing observations: all or nothing, row by row reasons, idempotent, replacing
illustrative figures, through the command."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from performance.importers import ImportHasErrors, ImportRefused, import_observations
from performance.models import Observation
from tests.factories.performance import ObservationFactory
from tests.factories.systems import OrganisationFactory

pytestmark = pytest.mark.django_db

HEADER = "standard,provider_ods_code,month,numerator,denominator,source\n"


@pytest.fixture
def trusts():
    return (
        OrganisationFactory(ods_code="RAA", kind="acute_trust"),
        OrganisationFactory(ods_code="RBB", kind="nhs_trust"),
        OrganisationFactory(ods_code="00X", kind="ccg"),
    )


def rows():
    return sorted(
        Observation.objects.values_list(
            "standard__code", "provider__ods_code", "month", "numerator", "denominator", "source"
        )
    )


def test_import_creates_observations(trusts):
    raw = (
        "\ufeff" + HEADER + "ae-4-hour,raa,2017-11,1,234,1,300,NHS England A&E\r\n"
        "CANCER-62-DAY,RBB,2017-11-01,80,100,\r\n\r\n"
    )
    raw = raw.replace("1,234,1,300", '"1,234","1,300"')
    _, summary = import_observations(raw.encode(), source="file.csv")
    assert summary.counts["Observations"]["created"] == 2
    assert rows() == [
        ("ae-4-hour", "RAA", dt.date(2017, 11, 1), 1234, 1300, "NHS England A&E"),
        ("cancer-62-day", "RBB", dt.date(2017, 11, 1), 80, 100, "file.csv"),
    ]
    assert Observation.history.count() == 2
    assert not Observation.objects.filter(illustrative=True).exists()


def test_reimport_changes_nothing_and_a_correction_updates(trusts):
    raw = (HEADER + "ae-4-hour,RAA,2017-11,90,100,\n").encode()
    import_observations(raw, source="a.csv")
    _, again = import_observations(raw, source="a.csv")
    assert again.changed() == 0 and again.counts["Observations"]["unchanged"] == 1
    _, corrected = import_observations(raw.replace(b"90,100", b"91,100"), source="a.csv")
    assert corrected.counts["Observations"]["updated"] == 1
    observation = Observation.objects.get()
    assert (observation.numerator, observation.version) == (91, 2)
    assert Observation.history.count() == 2


def test_import_replaces_illustrative_figures(trusts):
    ObservationFactory(
        provider=trusts[0],
        standard__code="ae-4-hour",
        month=dt.date(2017, 11, 1),
        illustrative=True,
        source="Illustrative demo data (not real figures)",
    )
    import_observations((HEADER + "ae-4-hour,RAA,2017-11,90,100,\n").encode(), source="a.csv")
    observation = Observation.objects.get()
    assert not observation.illustrative and observation.source == "a.csv"


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        ("a-and-e,RAA,2017-11,1,2,", "column 1 (standard)", "a-and-e is not a standard"),
        ("ae-4-hour,RZZ,2017-11,1,2,", "column 2 (provider_ods_code)", "not a known"),
        ("ae-4-hour,00X,2017-11,1,2,", "column 2 (provider_ods_code)", "reported by NHS trusts"),
        ("ae-4-hour,RAA,Nov-17,1,2,", "column 3 (month)", "is not a month"),
        ("ae-4-hour,RAA,2017-11-15,1,2,", "column 3 (month)", "not the first of a month"),
        ("ae-4-hour,RAA,2017-13,1,2,", "column 3 (month)", "is not a date"),
        ("ae-4-hour,RAA,2017-11,-1,2,", "column 4 (numerator)", "not a whole number"),
        ("ae-4-hour,RAA,2017-11,1.5,2,", "column 4 (numerator)", "not a whole number"),
        ("ae-4-hour,RAA,2017-11,3,2,", "column 4 (numerator)", "more than the denominator"),
        ("ae-4-hour,RAA,2017-11,1,,", "column 5 (denominator)", "not a whole number"),
        ("ae-4-hour,RAA,2017-11,1,2,x,y", "whole row", "has 7 columns"),
    ],
)
def test_bad_row_is_reported_and_nothing_is_written(trusts, line, column, reason):
    raw = (HEADER + "ae-4-hour,RBB,2017-10,1,2,\n" + line + "\n").encode()
    with pytest.raises(ImportHasErrors) as refused:
        import_observations(raw, source="bad.csv")
    (issue,) = refused.value.parsed.errors
    assert (issue.row, issue.column) == (3, column)
    assert reason in issue.reason
    assert not Observation.objects.exists()


def test_repeated_row_is_an_error(trusts):
    raw = (HEADER + "ae-4-hour,RAA,2017-11,1,2,\nae-4-hour,raa,2017-11-01,1,2,\n").encode()
    with pytest.raises(ImportHasErrors) as refused:
        import_observations(raw, source="bad.csv")
    (issue,) = refused.value.parsed.errors
    assert issue.row == 3 and "already (row 2)" in issue.reason


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"ods_code,control_total\nRAA,1\n", "not a file of performance observations"),
        (HEADER.encode(), "no rows of performance observations"),
    ],
)
def test_file_that_is_not_one_is_refused(raw, message):
    with pytest.raises(ImportRefused, match=message):
        import_observations(raw, source="x.csv")


def test_header_problems_are_reported(trusts):
    raw = b"standard,provider_ods_code,month,numerator,colour,month\nae-4-hour,RAA,2017-11,1,x,\n"
    with pytest.raises(ImportHasErrors) as refused:
        import_observations(raw, source="x.csv")
    reasons = {(i.column, i.reason.split(";")[0]) for i in refused.value.parsed.errors}
    assert ("column 5 (colour)", "is not a column of this format") in reasons
    assert ("column 6 (month)", "repeats column 3") in reasons
    assert ("denominator", "the required column is missing from the header") in reasons


def test_command_imports_and_reports(trusts, tmp_path, capsys):
    path = tmp_path / "performance.csv"
    path.write_text(HEADER + "rtt-18-weeks,RAA,2019-04,900,1000,\n")
    call_command("import_performance", str(path), "--dry-run")
    assert not Observation.objects.exists()
    call_command("import_performance", str(path))
    out = capsys.readouterr().out
    assert "Observations: 1 created, 0 updated, 0 unchanged" in out and "Imported." in out
    assert Observation.objects.get().source == "performance.csv"


def test_command_lists_row_errors_and_writes_nothing(trusts, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "rtt-18-weeks,RAA,2019-04,900,1000,\nrtt-18-weeks,RQQ,2019-04,1,1,\n")
    with pytest.raises(CommandError, match=r"1 errors, 0 skippable rows\. Nothing was written\."):
        call_command("import_performance", str(path))
    assert "bad.csv: Row 3, column 2 (provider_ods_code): RQQ" in capsys.readouterr().err
    assert not Observation.objects.exists()
