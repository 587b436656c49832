"""Importing organisations' control totals from CSV: read as spreadsheets write them, checked
row by row, written all or nothing, and idempotent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from core.caching import data_version
from finance.importers import (
    ImportHasErrors,
    ImportRefused,
    financial_year,
    import_control_totals,
    parse,
)
from finance.models import FinancialYear, OrganisationYear
from systems.importers import base as importer_base
from systems.models import OrganisationKind
from tests.factories.finance import OrganisationYearFactory
from tests.factories.systems import OrganisationFactory

pytestmark = pytest.mark.django_db

HEADER = "ods_code,control_total,plan,outturn,accepted,funding_available,funding_linked_share"

# As a spreadsheet saves it: byte-order mark, CRLF, quoted thousands, bracketed deficits, a
# lower-case code, a non-breaking space, empty optional cells and a blank line at the end.
GOOD = (
    "\ufeff" + HEADER + "\r\n"
    'rhw,"-1,200",(1100),-900.5,yes,"2,000",0.5\r\n'
    "RXQ,500,500,600,no,,\r\n"
    '16C\u00a0,"(12,345.25)","-12,000",-11000,TRUE,350,1\r\n'
    "\r\n"
).encode("utf-8")


@pytest.fixture
def year():
    return FinancialYear.objects.get(start_year=2018)


@pytest.fixture
def organisations(db):
    return {
        "RHW": OrganisationFactory(ods_code="RHW", name="ROYAL BERKSHIRE NHS FOUNDATION TRUST"),
        "RXQ": OrganisationFactory(
            ods_code="RXQ",
            name="BUCKINGHAMSHIRE HEALTHCARE NHS TRUST",
            kind=OrganisationKind.NHS_TRUST,
        ),
        "16C": OrganisationFactory(
            ods_code="16C", name="NHS TEES VALLEY CCG", kind=OrganisationKind.CCG
        ),
        "A81001": OrganisationFactory(
            ods_code="A81001", name="THE DENSHAM SURGERY", kind=OrganisationKind.GP_PRACTICE
        ),
        "RXH": OrganisationFactory(
            ods_code="RXH",
            name="BRIGHTON AND SUSSEX UNIVERSITY HOSPITALS NHS TRUST",
            closed_on=dt.date(2018, 3, 31),
        ),
    }


def snapshot():
    return (
        sorted(
            OrganisationYear.objects.values_list(
                "organisation__ods_code",
                "year__start_year",
                *OrganisationYear.FIGURES,
                "source",
                "version",
            )
        ),
        OrganisationYear.history.count(),
    )


def figures(code: str, start_year: int = 2018) -> OrganisationYear:
    return OrganisationYear.objects.get(organisation__ods_code=code, year__start_year=start_year)


def amounts(figure: OrganisationYear) -> tuple[Decimal, Decimal, Decimal]:
    """Control total, plan and outturn."""
    return (figure.control_total, figure.plan, figure.outturn)


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


# -- a good file ---------------------------------------------------------------------------


def test_import_creates_real_figures_from_a_spreadsheet_file(year, organisations):
    _, counts = import_control_totals(GOOD, year=year, source="control-totals-2018-19.csv")

    assert counts.counts == {"created": 3}
    berkshire = figures("RHW")
    assert amounts(berkshire) == (Decimal("-1200"), Decimal("-1100"), Decimal("-900.5"))
    assert berkshire.accepted is True
    assert berkshire.funding_available == Decimal("2000")
    assert berkshire.funding_linked_share == Decimal("0.5")
    bucks = figures("RXQ")
    assert bucks.accepted is False
    assert bucks.funding_available == 0 and bucks.funding_linked_share == 0
    tees = figures("16C")
    assert tees.control_total == Decimal("-12345.25")
    assert tees.funding_linked_share == 1
    for figure in OrganisationYear.objects.all():
        assert figure.illustrative is False
        assert figure.source == "control-totals-2018-19.csv"
        assert figure.history.count() == 1
        assert figure.history.get().history_type == "+"


def test_import_without_optional_columns_takes_the_defaults(year, organisations):
    raw = csv_file("100,100,rhw,150", header="outturn , Plan,ODS Code,control_total")

    import_control_totals(raw, year=year, source="minimal.csv")

    figure = figures("RHW")
    assert amounts(figure) == (Decimal("150"), Decimal("100"), Decimal("100"))
    assert figure.accepted is True
    assert figure.funding_available == 0 and figure.funding_linked_share == 0


def test_import_the_same_file_again_changes_nothing(year, organisations):
    import_control_totals(GOOD, year=year, source="control-totals.csv")
    before = snapshot()
    version = data_version()

    _, counts = import_control_totals(GOOD, year=year, source="control-totals.csv")

    assert counts.counts == {"unchanged": 3}
    assert snapshot() == before
    assert data_version() == version


def test_import_changed_figures_updates_them_with_history(year, organisations):
    import_control_totals(GOOD, year=year, source="first.csv")
    version = data_version()
    changed = csv_file(
        "RHW,-1200,-1100,-800,yes,2000,0.5",  # outturn revised
        "RXQ,500,500,600,no,0,0",  # as before
    )

    _, counts = import_control_totals(changed, year=year, source="revised.csv")

    assert counts.counts == {"updated": 2}  # RXQ's figures are the same, its source is not
    berkshire = figures("RHW")
    assert berkshire.outturn == Decimal("-800")
    assert berkshire.source == "revised.csv"
    assert berkshire.version == 2
    assert [h.outturn for h in berkshire.history.all()] == [Decimal("-800"), Decimal("-900.5")]
    assert berkshire.history.first().history_change_reason == "Imported from revised.csv"
    assert figures("16C").version == 1  # not in the second file: left alone
    assert data_version() > version


def test_import_replaces_illustrative_figures_with_real_ones(year, organisations):
    OrganisationYearFactory(
        organisation=organisations["RHW"], year=year, illustrative=True, source="demo"
    )

    _, counts = import_control_totals(GOOD, year=year, source="real.csv")

    assert counts.counts == {"created": 2, "updated": 1}
    assert figures("RHW").illustrative is False


def test_import_dry_run_reports_and_writes_nothing(year, organisations):
    before = snapshot()
    version = data_version()

    _, counts = import_control_totals(GOOD, year=year, source="x.csv", dry_run=True)

    assert counts.counts == {"created": 3}
    assert snapshot() == before
    assert data_version() == version


def test_import_command_prints_the_summary(tmp_path, capsys, organisations):
    path = tmp_path / "control-totals-2018-19.csv"
    path.write_bytes(GOOD)

    call_command("import_control_totals", str(path), "--year", "2018-19")
    first = capsys.readouterr().out
    call_command("import_control_totals", str(path), "--year", "2018/19")
    second = capsys.readouterr().out
    path.write_bytes(csv_file("RHW,1,1,1,yes,0,0", "RXQ,500,500,600,no,0,0"))
    call_command("import_control_totals", str(path), "--year", "2018-19", "--dry-run")
    dry = capsys.readouterr().out

    assert "2018/19 figures: 3 created, 0 updated, 0 unchanged" in first
    assert "Imported." in first
    assert "2018/19 figures: 0 created, 0 updated, 3 unchanged" in second
    assert "2018/19 figures: 0 created, 1 updated, 1 unchanged" in dry
    assert "Dry run: nothing was written." in dry
    assert figures("RHW").outturn == Decimal("-900.5")


def test_import_command_unknown_year_is_refused(tmp_path, organisations):
    path = tmp_path / "ct.csv"
    path.write_bytes(GOOD)

    with pytest.raises(CommandError, match="2015-16"):
        call_command("import_control_totals", str(path), "--year", "2015-16")
    with pytest.raises(CommandError, match="not a financial year"):
        call_command("import_control_totals", str(path), "--year", "2018-20")
    assert not OrganisationYear.objects.exists()


def test_financial_year_reads_both_spellings():
    assert financial_year("2019-20").start_year == 2019
    assert financial_year(" 2019/20 ").start_year == 2019
    assert financial_year("2019-2020").start_year == 2019


# -- bad rows: every one reported, nothing written --------------------------------------------

BAD_ROWS = [
    ("unknown_code", "RZZ,1,1,1,yes,0,0", "column 1 (ods_code)", "not a known organisation"),
    ("empty_code", ",1,1,1,yes,0,0", "column 1 (ods_code)", "is empty"),
    ("duplicate_code", "RHW,1,1,1,yes,0,0", "column 1 (ods_code)", "RHW again (first in row 2)"),
    ("pound_sign", "RXQ,£500,1,1,yes,0,0", "column 2 (control_total)", "is not an amount"),
    ("thousands_suffix", "RXQ,1,12k,1,yes,0,0", "column 3 (plan)", "is not an amount"),
    ("exponent", "RXQ,1,1,1e3,yes,0,0", "column 4 (outturn)", "is not an amount"),
    ("plus_sign", "RXQ,+5,1,1,yes,0,0", "column 2 (control_total)", "is not an amount"),
    ("bad_grouping", 'RXQ,"1,23",1,1,yes,0,0', "column 2 (control_total)", "is not an amount"),
    ("minus_and_brackets", "RXQ,-(5),1,1,yes,0,0", "column 2 (control_total)", "not an amount"),
    ("empty_amount", "RXQ,1,,1,yes,0,0", "column 3 (plan)", "is empty"),
    ("three_decimals", "RXQ,1.234,1,1,yes,0,0", "column 2 (control_total)", "2 decimal places"),
    ("too_large", "RXQ,1000000000000,1,1,yes,0,0", "column 2 (control_total)", "too large"),
    ("accepted_maybe", "RXQ,1,1,1,maybe,0,0", "column 5 (accepted)", "is not yes, no"),
    ("negative_funding", "RXQ,1,1,1,yes,-5,0", "column 6 (funding_available)", "negative"),
    ("share_above_one", "RXQ,1,1,1,yes,0,1.5", "column 7 (funding_linked_share)", "out of range"),
    ("share_negative", "RXQ,1,1,1,yes,0,-0.5", "column 7 (funding_linked_share)", "out of range"),
    ("share_percent", "RXQ,1,1,1,yes,0,50%", "column 7 (funding_linked_share)", "between 0 and 1"),
    ("too_few_cells", "RXQ,1,1,1", "whole row", "has 4 columns; the header has 7"),
    ("too_many_cells", "RXQ,1,1,1,yes,0,0,9", "whole row", "has 8 columns; the header has 7"),
    ("practice", "A81001,1,1,1,yes,0,0", "column 1 (ods_code)", "control totals belong to"),
    ("closed_trust", "RXH,1,1,1,yes,0,0", "column 1 (ods_code)", "before 2018/19 began"),
]


@pytest.mark.parametrize(
    ("bad_row", "column", "reason"),
    [case[1:] for case in BAD_ROWS],
    ids=[case[0] for case in BAD_ROWS],
)
def test_import_bad_row_is_reported_and_nothing_written(
    year, organisations, bad_row, column, reason
):
    """A file with one bad row among good ones is refused whole, and the report names the
    bad row, its column and why."""
    OrganisationYearFactory(organisation=organisations["RHW"], year=year, source="earlier.csv")
    before = snapshot()
    raw = csv_file("RHW,1,1,1,yes,0,0", bad_row, "16C,1,1,1,no,0,0")

    with pytest.raises(ImportHasErrors) as refused:
        import_control_totals(raw, year=year, source="bad.csv")

    (issue,) = refused.value.parsed.errors
    assert (issue.row, issue.column) == (3, column)
    assert reason in issue.reason
    assert snapshot() == before


def test_import_reports_every_bad_row_and_column(year, organisations):
    raw = csv_file("RZZ,1,1,1,yes,0,0", "RXQ,x,1,y,maybe,0,2", "RHW,1,1,1,yes,0,0")

    with pytest.raises(ImportHasErrors) as refused:
        import_control_totals(raw, year=year, source="bad.csv")

    assert [(i.row, i.column) for i in refused.value.parsed.errors] == [
        (2, "column 1 (ods_code)"),
        (3, "column 2 (control_total)"),
        (3, "column 4 (outturn)"),
        (3, "column 5 (accepted)"),
        (3, "column 7 (funding_linked_share)"),
    ]
    assert not OrganisationYear.objects.exists()


def test_import_ccg_before_2018_19_is_refused(organisations):
    year = FinancialYear.objects.get(start_year=2017)

    parsed = parse(csv_file("16C,1,1,1,yes,0,0"), year=year)

    (issue,) = parsed.errors
    assert "CCGs had control totals from 2018/19" in issue.reason


@pytest.mark.parametrize(
    ("header", "column", "reason"),
    [
        ("ods_code,control_total,plan", "outturn", "required column is missing"),
        ("ods_code,control_total,plan,outturn,comment", "column 5 (comment)", "not a column"),
        ("ods_code,control_total,plan,outturn,plan", "column 5 (plan)", "repeats column 3"),
    ],
    ids=["missing_column", "unknown_column", "repeated_column"],
)
def test_import_bad_header_is_reported_and_nothing_written(
    year, organisations, header, column, reason
):
    before = snapshot()
    raw = csv_file("RHW,1,1,1,1", header=header)

    with pytest.raises(ImportHasErrors) as refused:
        import_control_totals(raw, year=year, source="bad.csv")

    issue = refused.value.parsed.errors[0]
    assert (issue.row, issue.column) == (1, column)
    assert reason in issue.reason
    assert snapshot() == before


# -- files that cannot be read at all ---------------------------------------------------------

REFUSED_FILES = [
    ("empty", b"", "empty"),
    ("blank_lines", b"\r\n\r\n", "empty"),
    ("binary", b"PK\x03\x04\x00\x00\x08\x00" + b"\x00" * 64, "not a CSV file"),
    ("header_only", (HEADER + "\n").encode(), "no rows of figures"),
    ("no_header", b"RHW,1,1,1\nRXQ,2,2,2\n", "not a control totals file"),
    ("not_csv", b"<html><body>Control totals</body></html>\n", "not a control totals file"),
]


@pytest.mark.parametrize(
    ("raw", "reason"), [c[1:] for c in REFUSED_FILES], ids=[c[0] for c in REFUSED_FILES]
)
def test_import_unreadable_file_is_refused(year, organisations, raw, reason):
    before = snapshot()

    with pytest.raises(ImportRefused, match=reason):
        import_control_totals(raw, year=year, source="bad.csv")

    assert snapshot() == before


def test_import_file_over_the_size_limit_is_refused(year, organisations, monkeypatch):
    monkeypatch.setattr(importer_base, "MAX_IMPORT_BYTES", len(GOOD) - 1)

    with pytest.raises(ImportRefused, match="are refused"):
        import_control_totals(GOOD, year=year, source="big.csv")

    assert not OrganisationYear.objects.exists()


def test_import_command_file_over_the_size_limit_is_refused(tmp_path, organisations, monkeypatch):
    # The limit is the shared import command's, checked before the file is read.
    from systems.management.commands import _import_base as command_base

    monkeypatch.setattr(command_base, "MAX_IMPORT_BYTES", len(GOOD) - 1)
    path = tmp_path / "big.csv"
    path.write_bytes(GOOD)

    with pytest.raises(CommandError, match=r"are refused\. Nothing was written"):
        call_command("import_control_totals", str(path), "--year", "2018-19")

    assert not OrganisationYear.objects.exists()


def test_import_command_reports_rows_and_writes_nothing(tmp_path, capsys, organisations):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file("RHW,1,1,1,yes,0,0", "RZZ,1,1,1,yes,0,0", "RXQ,1,1,1,yes,0,7"))

    with pytest.raises(CommandError, match=r"2 errors\. Nothing was written"):
        call_command("import_control_totals", str(path), "--year", "2018-19")

    err = capsys.readouterr().err
    assert "bad.csv: Row 3, column 1 (ods_code): RZZ is not a known organisation" in err
    assert "bad.csv: Row 4, column 7 (funding_linked_share): 7 is out of range" in err
    assert not OrganisationYear.objects.exists()


def test_import_command_missing_or_empty_file_is_refused(tmp_path, organisations):
    with pytest.raises(CommandError, match="No file"):
        call_command("import_control_totals", str(tmp_path / "nope.csv"), "--year", "2018-19")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match=r"The file is empty\. Nothing was written"):
        call_command("import_control_totals", str(empty), "--year", "2018-19")
