"""Importing NHS England's published files (A&E provider CSV, RTT full CSV, Cancer Waiting Times
provider extract): the right numbers, computed here from the fixtures' own cells; idempotent;
another layout refused naming its missing columns; bad rows reported and nothing written; the
admin's preview then confirm; and who may upload."""

import csv
import datetime as dt
import io
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from performance.models import Observation
from performance.published import ae, cwt, rtt
from systems import admin_imports
from systems.importers import ImportHasErrors, ImportRefused
from systems.roles import PERFORMANCE_EDITOR
from tests.factories.performance import ObservationFactory
from tests.factories.systems import OrganisationFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
AE_2019 = FIXTURES / "Monthly-AE-March-2019.csv"
AE_2020 = FIXTURES / "Monthly-AE-April-2020.csv"
AE_2024 = FIXTURES / "Monthly-AE-March-2024.csv"
RTT_2019 = FIXTURES / "20190330-RTT-MARCH-2019-full-extract.csv"
CWT_2019 = FIXTURES / "cwt-provider-extract-2019-03.csv"
CWT_2023 = FIXTURES / "cwt-provider-extract-2023-04-excerpt.csv"
MARCH_2019 = dt.date(2019, 3, 1)


@pytest.fixture
def trusts():
    return {
        code: OrganisationFactory(ods_code=code, kind="acute_trust")
        for code in ("RJ1", "R0A", "RRK", "RGT")
    }


def cells(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def count(text: str) -> int:
    return int(text or 0)


def observations(code: str) -> dict:
    return {
        (o.provider.ods_code, o.month): (o.numerator, o.denominator)
        for o in Observation.objects.filter(standard__code=code).select_related("provider")
    }


# -- A&E -------------------------------------------------------------------------------------


def ae_expected(path: Path, *, prefix: str, over: str, other_over: str, booked=False):
    """Per provider: (all types within 4 hours, all attendances), and type 1 alike."""
    all_types, type_1 = {}, {}
    for row in cells(path):
        if row["Period"] == "TOTAL" or row["Org Code"] == "NLO12":
            continue
        attendances = {
            "1": count(row[f"{prefix}A&E attendances Type 1"]),
            "2": count(row[f"{prefix}A&E attendances Type 2"]),
            "other": count(row[f"{prefix}A&E attendances Other A&E Department"]),
        }
        breaches = {
            "1": count(row[f"{over} Type 1"]),
            "2": count(row[f"{over} Type 2"]),
            "other": count(row[f"{over} {other_over}"]),
        }
        if booked:
            for t, name in (("1", "Type 1"), ("2", "Type 2"), ("other", "Other Department")):
                attendances[t] += count(row[f"A&E attendances Booked Appointments {name}"])
                breaches[t] += count(row[f"Attendances over 4hrs Booked Appointments {name}"])
        month = dt.datetime.strptime(row["Period"].title(), "Msitae-%B-%Y").date()
        key = (row["Org Code"], month)
        total = sum(attendances.values())
        all_types[key] = (total - sum(breaches.values()), total)
        if attendances["1"]:
            type_1[key] = (attendances["1"] - breaches["1"], attendances["1"])
    return all_types, type_1


def test_ae_to_march_2020_layout_imports_all_types_and_type_1(trusts):
    _, summary = ae.import_ae_file(
        AE_2019.read_bytes(), source_note=AE_2019.name, dry_run=False, skip_skippable=True
    )
    all_types, type_1 = ae_expected(
        AE_2019,
        prefix="Number of ",
        over="Number of attendances over 4hrs",
        other_over="Other A&E Department",
    )
    assert observations("ae-4-hour") == all_types
    assert observations("ae-4-hour-type-1") == type_1
    assert set(all_types) == {(code, MARCH_2019) for code in ("RJ1", "R0A", "RRK")}
    assert summary.counts["A&E 4-hour"]["created"] == 3
    # The walk-in centre the database does not know was skipped, by name, on the user's say.
    (skipped,) = summary.skipped
    assert (skipped.row, skipped.column) == (6, "column 2 (Org Code)")
    assert "NLO12 (EXAMPLE WALK-IN CENTRE) is not an organisation in the database" in skipped.reason
    sources = set(Observation.objects.values_list("source", "illustrative"))
    assert sources == {
        (
            "NHS England, A&E Attendances and Emergency Admissions, March 2019 "
            "(Monthly-AE-March-2019.csv)",
            False,
        )
    }


def test_ae_from_august_2020_layout_counts_booked_appointments(trusts):
    ae.import_ae_file(AE_2024.read_bytes(), source_note=AE_2024.name, dry_run=False)
    all_types, type_1 = ae_expected(
        AE_2024, prefix="", over="Attendances over 4hrs", other_over="Other Department", booked=True
    )
    assert observations("ae-4-hour") == all_types
    assert observations("ae-4-hour-type-1") == type_1
    assert len(all_types) == 2


def test_ae_april_to_july_2020_layout_is_read(trusts):
    ae.import_ae_file(
        AE_2020.read_bytes(), source_note=AE_2020.name, dry_run=False, skip_skippable=True
    )
    all_types, type_1 = ae_expected(
        AE_2020, prefix="", over="Attendances over 4hrs", other_over="Other Department"
    )
    assert observations("ae-4-hour") == all_types
    assert observations("ae-4-hour-type-1") == type_1
    assert {month for _code, month in all_types} == {dt.date(2020, 4, 1)}


def test_ae_file_with_unknown_provider_is_refused_unless_skipped(trusts):
    with pytest.raises(ImportHasErrors) as refused:
        ae.import_ae_file(AE_2019.read_bytes(), source_note="a.csv", dry_run=False)
    assert not refused.value.parsed.errors
    assert [issue.row for issue in refused.value.parsed.skippable] == [6]
    assert not Observation.objects.exists()


def test_reimport_changes_nothing_and_a_correction_updates_only_what_changed(trusts):
    raw = AE_2019.read_bytes()
    ae.import_ae_file(raw, source_note="a.csv", dry_run=False, skip_skippable=True)
    _, again = ae.import_ae_file(raw, source_note="a.csv", dry_run=False, skip_skippable=True)
    assert again.changed() == 0
    assert sum(c["unchanged"] for c in again.counts.values()) == Observation.objects.count() == 6
    corrected = raw.replace(b",16210,0,3120,2105,", b",16310,0,3120,2105,")
    assert corrected != raw
    _, summary = ae.import_ae_file(
        corrected, source_note="a.csv", dry_run=False, skip_skippable=True
    )
    assert summary.changed() == 2  # RJ1's all-types and type 1 figures, nothing else
    assert Observation.history.count() == 6 + 2


def test_real_figures_replace_illustrative_ones(trusts):
    ObservationFactory(
        provider=trusts["RJ1"],
        standard__code="ae-4-hour",
        month=MARCH_2019,
        illustrative=True,
        source="Illustrative demo data (not real figures)",
    )
    ae.import_ae_file(AE_2019.read_bytes(), source_note="a.csv", dry_run=False, skip_skippable=True)
    replaced = Observation.objects.get(provider=trusts["RJ1"], standard__code="ae-4-hour")
    assert not replaced.illustrative and replaced.source.startswith("NHS England, A&E")


@pytest.mark.parametrize(
    ("find", "replace", "row", "column", "reason"),
    [
        (b",16210,", b",16x10,", 3, "column 5 (Number of A&E attendances Type 1)", "not a number"),
        (
            b",16210,0,3120,2105,",
            b",16210,0,3120,16211,",
            3,
            "column 8 (Number of attendances over 4hrs Type 1)",
            "more than the 16210",
        ),
        (
            b"MSitAE-MARCH-2019,R0A",
            b"MSitAE-APRIL-2019,R0A",
            4,
            "column 1 (Period)",
            "the file is for March 2019",
        ),
        (b"MSitAE-MARCH-2019,R0A", b"2019-03,R0A", 4, "column 1 (Period)", "not a period"),
        (b",R0A,", b",RJ1,", 4, "column 2 (Org Code)", "RJ1 is in row 3 too"),
    ],
)
def test_ae_bad_row_is_reported_and_nothing_written(trusts, find, replace, row, column, reason):
    raw = AE_2019.read_bytes()
    assert find in raw
    with pytest.raises(ImportHasErrors) as refused:
        ae.import_ae_file(
            raw.replace(find, replace, 1), source_note="a.csv", dry_run=False, skip_skippable=True
        )
    (issue,) = refused.value.parsed.errors
    assert (issue.row, issue.column) == (row, column)
    assert reason in issue.reason
    assert not Observation.objects.exists()


def test_ae_commissioner_code_is_an_error(trusts):
    OrganisationFactory(ods_code="NLO12", kind="ccg")
    with pytest.raises(ImportHasErrors) as refused:
        ae.import_ae_file(AE_2019.read_bytes(), source_note="a.csv", dry_run=False)
    (issue,) = refused.value.parsed.errors
    assert issue.row == 6 and "not a provider" in issue.reason


def test_another_layout_is_refused_naming_the_missing_columns(trusts):
    rows = cells(AE_2019)
    dropped = "Number of attendances over 4hrs Type 2"
    out = io.StringIO()
    writer = csv.DictWriter(
        out, [name for name in rows[0] if name != dropped], extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    with pytest.raises(ImportRefused) as refused:
        ae.import_ae_file(out.getvalue().encode(), source_note="a.csv", dry_run=False)
    assert f"Compared with the to March 2020 layout, its header lacks 1 columns: {dropped}." in str(
        refused.value
    )
    # An RTT file offered as A&E names what an A&E file has.
    with pytest.raises(ImportRefused, match=r"its header lacks .*Org Code"):
        ae.import_ae_file(RTT_2019.read_bytes(), source_note="a.csv", dry_run=False)
    # A 52-week RTT file with a band of the 104-week layout in place of its open-ended one.
    rtt_rows = RTT_2019.read_text().splitlines()
    later = rtt_rows[0].replace("Gt 52 Weeks SUM 1", "Gt 52 To 53 Weeks SUM 1")
    with pytest.raises(ImportRefused) as refused:
        rtt.import_rtt_file(
            "\n".join([later, *rtt_rows[1:]]).encode(), source_note="r.csv", dry_run=False
        )
    assert "lacks 1 columns: Gt 52 Weeks SUM 1" in str(refused.value)


# -- RTT -------------------------------------------------------------------------------------


def rtt_expected() -> dict:
    """Per provider: Part_2 only, each commissioner's C_999 row, or its functions where it
    has none."""
    bands = [f"Gt {w:02d} To {w + 1:02d} Weeks SUM 1" for w in range(18)]
    by_commissioner = {}
    for row in cells(RTT_2019):
        if row["RTT Part Type"] != "Part_2":
            continue
        key = (row["Provider Org Code"], row["Commissioner Org Code"])
        figures = (sum(count(row[b]) for b in bands), count(row["Total All"]))
        entry = by_commissioner.setdefault(key, {"total": None, "functions": (0, 0)})
        if row["Treatment Function Code"] == "C_999":
            entry["total"] = figures
        else:
            entry["functions"] = tuple(
                a + b for a, b in zip(entry["functions"], figures, strict=True)
            )
    expected = {}
    for (provider, _commissioner), entry in by_commissioner.items():
        within, total = entry["total"] or entry["functions"]
        before = expected.get((provider, MARCH_2019), (0, 0))
        expected[(provider, MARCH_2019)] = (before[0] + within, before[1] + total)
    return expected


def test_rtt_imports_incomplete_pathways_by_provider(trusts):
    _, summary = rtt.import_rtt_file(
        RTT_2019.read_bytes(), source_note=RTT_2019.name, dry_run=False
    )
    expected = rtt_expected()
    assert observations("rtt-18-weeks") == expected
    # As the research notes give them: C_999 rows of two commissioners, Part_2A left out.
    assert expected[("RJ1", MARCH_2019)] == (15924 + 14116, 21350 + 18920)
    assert expected[("R0A", MARCH_2019)] == (29979, 40210)
    assert summary.counts["RTT 18-week"]["created"] == 3
    assert Observation.objects.filter(standard__code="rtt-18-weeks").first().source == (
        "NHS England, Referral to Treatment Waiting Times, incomplete pathways, March 2019 "
        f"({RTT_2019.name})"
    )
    _, again = rtt.import_rtt_file(RTT_2019.read_bytes(), source_note=RTT_2019.name, dry_run=False)
    assert again.changed() == 0


def test_rtt_bad_rows_are_reported(trusts):
    lines = RTT_2019.read_text().splitlines()
    lines[2] = lines[2].replace(",21350", ",21349")  # Total All below its bands
    lines[3] = lines[3].replace(",1381,", ",13x1,")
    lines.append(lines[1])  # the same provider, commissioner and function again
    with pytest.raises(ImportHasErrors) as refused:
        rtt.import_rtt_file("\n".join(lines).encode(), source_note="r.csv", dry_run=False)
    found = sorted((i.row, i.column, i.reason.split(" ")[0]) for i in refused.value.parsed.errors)
    assert found == [
        (3, "column 69 (Total All)", "21349"),
        (4, "column 14 (Gt 00 To 01 Weeks SUM 1)", "“13x1”"),
        (len(lines), "column 12 (Treatment Function Code)", "RJ1's"),
    ]
    assert not Observation.objects.exists()


# -- Cancer Waiting Times --------------------------------------------------------------------


def cwt_expected(path: Path, standard: str) -> dict:
    """Per provider and month: the cancer types' sum, halves rounded to even."""
    sums = {}
    for row in cells(path):
        if row["STANDARD"] != standard or row["TREATMENT MODALITY"] != "ALL MODALITIES":
            continue
        key = row["ORG CODE"]
        total, within = sums.get(key, (Decimal(0), Decimal(0)))
        sums[key] = (
            total + Decimal(row["TOTAL TREATED"]),
            within + Decimal(row["WITHIN STANDARD"]),
        )
    return {
        code: tuple(int(v.to_integral_value(ROUND_HALF_EVEN)) for v in (within, total))
        for code, (total, within) in sums.items()
    }


def test_cwt_imports_62_day_figures_rounding_halves(trusts):
    cwt.import_cwt_file(CWT_2019.read_bytes(), source_note=CWT_2019.name, dry_run=False)
    expected = cwt_expected(CWT_2019, "62 Days")
    assert observations("cancer-62-day") == {(c, MARCH_2019): v for c, v in expected.items()}
    # RJ1's 52.5 within the standard is stored as 52, R0A's 68.5 treated as 68.
    assert expected == {"RJ1": (52, 70), "R0A": (52, 68)}
    assert Observation.objects.first().source.endswith(
        "(cwt-provider-extract-2019-03.csv); half counts rounded"
    )


def test_cwt_real_2023_extract_with_excel_dates(trusts):
    cwt.import_cwt_file(CWT_2023.read_bytes(), source_note=CWT_2023.name, dry_run=False)
    expected = cwt_expected(CWT_2023, "62-day Combined")
    april = dt.date(2023, 4, 1)
    assert observations("cancer-62-day") == {(c, april): v for c, v in expected.items()}


def test_cwt_breakdowns_that_disagree_are_reported(trusts):
    raw = CWT_2019.read_bytes().replace(
        b"Radiotherapy,ALL CANCERS,9,5,4", b"Radiotherapy,ALL CANCERS,10,6,4"
    )
    with pytest.raises(ImportHasErrors) as refused:
        cwt.import_cwt_file(raw, source_note="c.csv", dry_run=False)
    (issue,) = refused.value.parsed.errors
    assert issue.row == 2 and issue.column == "column 9 (TOTAL TREATED)"
    assert "by cancer type add to 70 treated" in issue.reason
    assert "by treatment modality to 71 and 53.5" in issue.reason


def test_cwt_counts_that_do_not_add_up_are_reported(trusts):
    raw = CWT_2019.read_bytes().replace(b"Lung,11.5,6,5.5", b"Lung,11.5,6.25,5.5")
    with pytest.raises(ImportHasErrors) as refused:
        cwt.import_cwt_file(raw, source_note="c.csv", dry_run=False)
    (issue,) = refused.value.parsed.errors
    assert (issue.row, issue.column) == (3, "column 10 (WITHIN STANDARD)")
    assert "not a whole number or a half" in issue.reason


# -- the command and the admin ---------------------------------------------------------------


def test_command_imports_each_format(trusts, capsys):
    call_command("import_performance", str(RTT_2019), "--format", "rtt")
    call_command("import_performance", str(CWT_2019), "--format", "cwt")
    with pytest.raises(CommandError, match="0 errors, 1 skippable"):
        call_command("import_performance", str(AE_2019), "--format", "ae")
    call_command("import_performance", str(AE_2019), "--format", "ae", "--skip-skippable")
    out = capsys.readouterr().out
    assert "RTT 18-week: 3 created" in out and "Cancer 62-day: 2 created" in out
    assert "A&E 4-hour: 3 created" in out and "Skipped 1 rows" in out
    assert Observation.objects.count() == 3 + 2 + 3 + 3


@pytest.fixture
def performance_editor(django_user_model):
    user = django_user_model.objects.create_user("performance_editor", is_staff=True)
    user.groups.add(Group.objects.get(name=PERFORMANCE_EDITOR))
    return user


def test_admin_previews_then_imports(client, performance_editor, trusts, tmp_path, monkeypatch):
    monkeypatch.setattr(admin_imports, "UPLOAD_DIR", tmp_path)
    client.force_login(performance_editor)
    url = reverse("admin:performance_observation_import")
    page = client.get(url)
    choices = [slug for slug, _ in page.context["form"].fields["file_format"].choices]
    assert choices == ["performance-observations", "nhse-ae", "nhse-rtt", "nhse-cwt"]
    upload = SimpleUploadedFile(AE_2019.name, AE_2019.read_bytes(), "text/csv")
    refused = client.post(url, {"file_format": "nhse-ae", "upload": upload})
    assert refused.context["refused"]
    assert "NLO12 (EXAMPLE WALK-IN CENTRE)" in refused.content.decode()
    upload = SimpleUploadedFile(AE_2019.name, AE_2019.read_bytes(), "text/csv")
    preview = client.post(url, {"file_format": "nhse-ae", "upload": upload, "skip_skippable": "on"})
    assert preview.context["summary"].rows() == [
        ("A&E 4-hour", [3, 0, 0]),
        ("A&E 4-hour (type 1)", [3, 0, 0]),
    ]
    assert "Nothing has been written yet" in preview.content.decode()
    assert not Observation.objects.exists()
    response = client.post(
        url,
        {
            "file_format": "nhse-ae",
            "token": preview.context["form"].initial["token"],
            "filename": AE_2019.name,
            "skip_skippable": "on",
            "confirm": "Import",
        },
        follow=True,
    )
    assert f"Imported {AE_2019.name}" in response.content.decode()
    assert Observation.objects.count() == 6


def test_admin_lists_bad_rows(client, performance_editor, trusts, tmp_path, monkeypatch):
    monkeypatch.setattr(admin_imports, "UPLOAD_DIR", tmp_path)
    client.force_login(performance_editor)
    raw = CWT_2019.read_bytes().replace(b"Breast,24,22,2", b"Breast,24,x,2")
    response = client.post(
        reverse("admin:performance_observation_import"),
        {"file_format": "nhse-cwt", "upload": SimpleUploadedFile("c.csv", raw, "text/csv")},
    )
    (issue,) = response.context["parsed"].errors
    assert (issue.row, issue.column) == (2, "column 10 (WITHIN STANDARD)")
    assert "column 10 (WITHIN STANDARD)" in response.content.decode()
    assert not Observation.objects.exists()


def test_analyst_cannot_upload(client, analyst, trusts):
    client.force_login(analyst)
    url = reverse("admin:performance_observation_import")
    upload = SimpleUploadedFile(AE_2019.name, AE_2019.read_bytes(), "text/csv")
    response = client.post(url, {"file_format": "nhse-ae", "upload": upload})
    assert response.status_code in (302, 403)
    assert not Observation.objects.exists()
