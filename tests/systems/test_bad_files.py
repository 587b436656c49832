"""Files no importer may take as true, through the commands and through the admin upload: each
is refused with its row, column and reason (or, for a file unreadable as a whole, what it is
and what to do), and the database is left exactly as it was."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from finance.models import OrganisationYear
from performance.models import Observation
from systems import admin_imports
from systems.importers import import_file
from systems.models import Code, Membership, Organisation

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
MAPPING = (FIXTURES / "gp-reg-pat-prac-map-jan22-sample.csv").read_bytes()
ETR = (FIXTURES / "etr-sample.csv").read_bytes()
ONS = (FIXTURES / "ons-stp18-sample.csv").read_bytes()
CONTROL_TOTALS = b"ods_code,control_total,plan,outturn\nRX3,1,1,1\n"
OBSERVATIONS = (
    b"standard,provider_ods_code,month,numerator,denominator\nae-4-hour,RX3,2019-04,9,10\n"
)
NEITHER_UTF8_NOR_1252 = bytes(range(128, 256)) * 40
UTF16 = "ods_code,control_total,plan,outturn\nRX3,1,1,1\n".encode("utf-16")

# (command, its arguments, admin URL name, form fields) for every format
FORMATS = {
    "practice-mapping": ("import_practice_mapping", [], "admin:systems_organisation_import", {}),
    "ods-trusts": (
        "import_ods_trusts",
        ["--as-at", "2020-10-01"],
        "admin:systems_organisation_import",
        {"as_at": "2020-10-01"},
    ),
    "ons-lookup": ("import_ons_lookup", [], "admin:systems_organisation_import", {}),
    "control-totals": (
        "import_control_totals",
        ["--year", "2018-19"],
        "admin:finance_organisationyear_import",
        {"year": "2018-19"},
    ),
    "performance-observations": (
        "import_performance",
        [],
        "admin:performance_observation_import",
        {},
    ),
}


@pytest.fixture(autouse=True)
def _upload_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(admin_imports, "UPLOAD_DIR", tmp_path / "imports")


def everything():
    """What an import could change, with its history."""
    return (
        sorted(Organisation.objects.values_list("ods_code", "name", "kind")),
        sorted(
            Membership.objects.values_list(
                "organisation__ods_code", "system_id", "share", "valid_from", "valid_until"
            )
        ),
        sorted(Code.objects.values_list("code", "valid_from", "valid_until")),
        OrganisationYear.objects.count(),
        Observation.objects.count(),
        Organisation.history.count(),
        Membership.history.count(),
    )


def command_refusal(tmp_path, capsys, file_format: str, raw: bytes, *extra: str) -> str:
    """The command's refusal and the rows it listed, as one text."""
    command, arguments, _url, _fields = FORMATS[file_format]
    path = tmp_path / "upload.csv"
    path.write_bytes(raw)
    with pytest.raises(CommandError) as refused:
        call_command(command, str(path), *arguments, *extra)
    return str(refused.value) + "\n" + capsys.readouterr().err


def admin_refusal(client, file_format: str, raw: bytes, **fields) -> str:
    """The admin upload's page after previewing the file."""
    _command, _arguments, url, form_fields = FORMATS[file_format]
    response = client.post(
        reverse(url),
        {
            "file_format": file_format,
            "upload": SimpleUploadedFile("upload.csv", raw, "text/csv"),
            **form_fields,
            **fields,
        },
    )
    assert response.status_code == 200
    assert "summary" not in response.context
    return response.content.decode()


def mapping_dated(date: str) -> bytes:
    return MAPPING.replace(b"01Jan2022", date.encode())


BAD_FILES = [
    # (id, format, file, what the refusal says)
    *[
        (f"{slug}-not-text", slug, NEITHER_UTF8_NOR_1252, "not UTF-8 or Windows-1252 text")
        for slug in FORMATS
    ],
    *[(f"{slug}-utf-16", slug, UTF16, "UTF-16 text") for slug in FORMATS],
    (
        "mapping-dated-2040",
        "practice-mapping",
        mapping_dated("01Jan2040"),
        "Row 2, EXTRACT_DATE: 01 Jan 2040 is after today",
    ),
    (
        "observations-for-2040-05",
        "performance-observations",
        OBSERVATIONS.replace(b"2019-04", b"2040-05"),
        "Row 2, column 3 (month): 01 May 2040 is after today",
    ),
    (
        "ons-lookup-of-2040",
        "ons-lookup",
        ONS.replace(b"stp18", b"stp40"),
        "Row 1, stp40cd: the year in the name means 01 Apr 2040 is after today",
    ),
    (
        "mapping-cut-short",
        "practice-mapping",
        MAPPING.rstrip()[:-9],
        "Row 7, whole row: the file stops in this row without a line end: it looks cut short",
    ),
    (
        "ons-code-with-two-names",
        "ons-lookup",
        ONS + b"E54000007,Greater Lancashire\r\n",
        "Row 5, stp18nm: E54000007 is \u201cGreater Lancashire\u201d here but "
        "\u201cGreater Manchester Health and Social Care Partnership\u201d in row 4",
    ),
]


def as_html(message: str) -> str:
    """A refusal as the upload page writes it: a row's problem as cells of row, column and
    reason; the file's as an error note."""
    row = re.match(r"^Row (\d+), ([^:]+): (.*)$", message)
    if row:
        return f"<td>{row[1]}</td><td>{escape(row[2])}</td><td>{escape(row[3])}"
    return escape(message)


@pytest.mark.parametrize(
    ("file_format", "raw", "message"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_bad_file_is_refused_by_the_command_and_nothing_written(
    reference_data, tmp_path, capsys, file_format, raw, message
):
    """Each command refuses the file, saying where and why, and writes nothing."""
    before = everything()
    assert message in command_refusal(tmp_path, capsys, file_format, raw)
    assert everything() == before


@pytest.mark.parametrize(
    ("file_format", "raw", "message"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_bad_file_is_refused_by_the_admin_upload_and_nothing_written(
    reference_data, client, administrator, file_format, raw, message
):
    """The upload page shows the refusal (rows in a table of row, column and reason) instead
    of a preview, and writes nothing."""
    client.force_login(administrator)
    before = everything()
    assert as_html(message) in admin_refusal(client, file_format, raw)
    assert everything() == before


def test_trust_list_dated_after_today_is_refused(reference_data, tmp_path, capsys, client):
    """An extract said to describe a day still to come would block every real later import."""
    before = everything()
    refusal = command_refusal(tmp_path, capsys, "ods-trusts", ETR, "--as-at", "2040-01-01")
    assert "The date given is wrong: 01 Jan 2040 is after today" in refusal
    assert everything() == before


def test_trust_list_dated_after_today_is_refused_by_the_admin_upload(
    reference_data, client, administrator
):
    client.force_login(administrator)
    before = everything()
    html = admin_refusal(client, "ods-trusts", ETR, as_at="2040-01-01")
    assert "01 Jan 2040 is after today" in html
    assert everything() == before


def bad_practice_row() -> bytes:
    header = MAPPING.split(b"\r\n")[0]
    row = (
        b"GP_PRAC_PAT_LIST,01Jan2022,P00001,PRACTICE,AB1 2CD,U1,PCN U1,E38000000,,,"
        b"E54000050,ZZZ,STP,E40000009,Y99,Region"
    )
    return header + b"\r\n" + row + b"\r\n"


def test_every_problem_in_a_row_is_reported_by_the_command(reference_data, tmp_path, capsys):
    refusal = command_refusal(tmp_path, capsys, "practice-mapping", bad_practice_row())
    assert "Row 2, STP_CODE: ZZZ is not an STP or ICB code" in refusal
    assert "Row 2, COMM_REGION_CODE: Y99 is not an NHS England region code" in refusal
    assert "Row 2, CCG_CODE: is empty" in refusal
    assert not Organisation.objects.exists()


def test_every_problem_in_a_row_is_reported_by_the_admin_upload(
    reference_data, client, administrator
):
    client.force_login(administrator)
    html = admin_refusal(client, "practice-mapping", bad_practice_row())
    assert "was not imported: 3 rows with errors" in html
    for column in ("STP_CODE", "COMM_REGION_CODE", "CCG_CODE"):
        assert f"<td>2</td><td>{column}</td>" in html
    assert not Organisation.objects.exists()


def test_every_problem_in_a_trust_row_is_reported(reference_data):
    row = ETR.split(b"\n")[2].replace(b'"RX3"', b'"RX33"').replace(b'"20010201"', b'"2001"')
    bad = row.replace(b'"TEES, ESK AND WEAR VALLEYS NHS FOUNDATION TRUST"', b'""')
    from systems.importers import ImportHasErrors

    with pytest.raises(ImportHasErrors) as refused:
        import_file("ods-trusts", bad + b"\n", as_at=dt.date(2020, 10, 1))
    columns = {issue.column for issue in refused.value.parsed.errors}
    assert {"column 1 (code)", "column 2 (name)"} <= columns


# -- a partial extract ----------------------------------------------------------------------

# RX3 alone, of the five NHS trusts (and one ambulance trust) the sample imports
ONE_TRUST = ETR.split(b"\n")[2] + b"\n"
LATER = "2021-01-01"


@pytest.fixture
def six_trusts(reference_data):
    import_file("ods-trusts", ETR, as_at=dt.date(2020, 10, 1), skip_skippable=True)
    assert Membership.objects.filter(valid_until=None).count() == 6


def test_partial_trust_list_is_refused_by_the_command_unless_complete(six_trusts, tmp_path, capsys):
    """One NHS trust where there were five would end four memberships: refused, unless the
    user says the file is a complete national extract."""
    before = everything()
    refusal = command_refusal(tmp_path, capsys, "ods-trusts", ONE_TRUST, "--as-at", LATER)
    assert "would close 4 of the 5 current memberships (80%)" in refusal
    assert "--complete-extract" in refusal
    assert everything() == before

    path = tmp_path / "upload.csv"
    call_command("import_ods_trusts", str(path), "--as-at", LATER, "--dry-run")
    assert "would close 4 of the 5" in capsys.readouterr().out
    assert everything() == before

    call_command("import_ods_trusts", str(path), "--as-at", LATER, "--complete-extract")
    assert set(
        Membership.objects.filter(valid_until=None).values_list("organisation__ods_code", flat=True)
    ) == {"RX3", "RX6"}


def test_partial_trust_list_preview_says_how_many_close(six_trusts, client, administrator):
    """The preview counts the memberships that would close and asks for the tick box; the
    import is refused without it, and goes ahead with it."""
    client.force_login(administrator)
    url = reverse("admin:systems_organisation_import")
    fields = {"file_format": "ods-trusts", "as_at": LATER}
    preview = client.post(
        url, {**fields, "upload": SimpleUploadedFile("etr.csv", ONE_TRUST, "text/csv")}
    )
    html = preview.content.decode()
    assert "would close 4 of the 5 current memberships" in html
    assert "This is a complete national extract" in html
    token = preview.context["form"].initial["token"]
    before = everything()

    confirm = {**fields, "token": token, "filename": "etr.csv", "confirm": "Import"}
    refused = client.post(url, confirm)
    assert "would close 4 of the 5" in refused.content.decode()
    assert "Nothing was written" in refused.content.decode()
    assert everything() == before

    client.post(url, {**confirm, "complete_extract": "on"})
    assert set(
        Membership.objects.filter(valid_until=None).values_list("organisation__ods_code", flat=True)
    ) == {"RX3", "RX6"}


# -- control totals and observations through the same upload -------------------------------


@pytest.fixture
def trust(reference_data):
    from tests.factories.systems import OrganisationFactory

    return OrganisationFactory(ods_code="RX3", kind="nhs_trust")


@pytest.mark.parametrize(
    ("file_format", "raw", "kind"),
    [
        ("control-totals", CONTROL_TOTALS, "2018/19 figures"),
        ("performance-observations", OBSERVATIONS, "Observations"),
    ],
)
def test_figures_upload_previews_then_imports(client, administrator, trust, file_format, raw, kind):
    """Control totals and observations are previewed, then imported, like reference files."""
    from performance.reference import load_standards

    load_standards()
    client.force_login(administrator)
    _command, _arguments, url, fields = FORMATS[file_format]
    preview = client.post(
        reverse(url),
        {
            "file_format": file_format,
            "upload": SimpleUploadedFile("figures.csv", raw, "text/csv"),
            **fields,
        },
    )
    assert preview.context["summary"].rows() == [(kind, [1, 0, 0])]
    assert "Nothing has been written yet" in preview.content.decode()
    assert not OrganisationYear.objects.exists() and not Observation.objects.exists()

    response = client.post(
        reverse(url),
        {
            "file_format": file_format,
            "token": preview.context["form"].initial["token"],
            "filename": "figures.csv",
            "confirm": "Import",
            **fields,
        },
        follow=True,
    )
    assert "Imported figures.csv" in response.content.decode()
    assert OrganisationYear.objects.count() + Observation.objects.count() == 1


def test_finance_editor_may_upload_control_totals_only(client, finance_editor):
    client.force_login(finance_editor)
    page = client.get(reverse("admin:finance_organisationyear_import"))
    assert page.status_code == 200
    assert [slug for slug, _label in page.context["form"].fields["file_format"].choices] == [
        "control-totals"
    ]
    assert (
        "Import control totals"
        in client.get(reverse("admin:finance_organisationyear_changelist")).content.decode()
    )
    assert client.get(reverse("admin:systems_organisation_import")).status_code == 403
    assert client.get(reverse("admin:performance_observation_import")).status_code == 403
