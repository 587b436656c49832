"""Importing public files as they really are: dated, all-or-nothing, and idempotent."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from systems.importers import ImportHasErrors, ImportRefused, import_file, parse_file
from systems.importers import base as importer_base
from systems.models import Code, Footprint, Membership, Organisation, System

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
MAPPING = (FIXTURES / "gp-reg-pat-prac-map-jan22-sample.csv").read_bytes()
ETR = (FIXTURES / "etr-sample.csv").read_bytes()
ONS = (FIXTURES / "ons-stp18-sample.csv").read_bytes()
HEADER = MAPPING.split(b"\r\n")[0].decode()
JAN22 = dt.date(2022, 1, 1)


@pytest.fixture
def reference(reference_data):
    return reference_data


def mapping_rows(*rows: str, date: str = "01Jan2022") -> bytes:
    """A practice mapping with the given rows (practice, pcn, ccg, stp, region)."""
    lines = [HEADER]
    for row in rows:
        practice, pcn, ccg, stp, region = row.split("|")
        lines.append(
            f"GP_PRAC_PAT_LIST,{date},{practice},PRACTICE {practice},AB1 2CD,{pcn},PCN {pcn},"
            f"E38000000,{ccg},CCG {ccg},E54000050,{stp},STP {stp},E40000009,{region},Region"
        )
    return ("\n".join(lines) + "\n").encode()


def snapshot():
    return (
        sorted(Organisation.objects.values_list("ods_code", "name", "kind")),
        sorted(
            Membership.objects.values_list(
                "organisation__ods_code", "system__slug", "valid_from", "valid_until"
            )
        ),
        Organisation.history.count(),
        Membership.history.count(),
        Code.objects.count(),
    )


# -- the practice mapping -------------------------------------------------------------------


def test_practice_mapping_creates_dated_members(reference):
    parsed, summary = import_file("practice-mapping", MAPPING)
    assert parsed.as_at == JAN22
    assert summary.counts["GP practice"]["created"] == 6
    assert summary.counts["Primary care network"]["created"] == 6
    assert summary.counts["Clinical commissioning group"]["created"] == 3
    assert summary.counts["Membership"]["created"] == 15
    nenc = System.objects.get(slug="north-east-and-north-cumbria")
    members = {m.organisation.ods_code for m in nenc.members_as_at(JAN22)}
    assert {"A81001", "A82004", "U89141", "16C", "01H"} <= members
    assert not nenc.members_as_at(JAN22 - dt.timedelta(days=1)).exists()
    assert Organisation.objects.get(ods_code="A81001").name == "THE DENSHAM SURGERY"


def test_reimporting_the_same_file_changes_nothing(reference):
    import_file("practice-mapping", MAPPING)
    before = snapshot()
    _, summary = import_file("practice-mapping", MAPPING)
    assert summary.changed() == 0
    assert summary.counts["Membership"]["unchanged"] == 15
    assert snapshot() == before


def test_later_extract_closes_and_opens_memberships_keeping_history(reference):
    """A practice that moves system, and one that disappears, keep their earlier picture."""
    first = mapping_rows("P00001|U1|01H|QHM|Y63", "P00002|U1|01H|QHM|Y63")
    later = mapping_rows("P00001|U2|01K|QE1|Y62", "P00003|U1|01H|QHM|Y63", date="01Apr2022")
    import_file("practice-mapping", first)
    _, summary = import_file("practice-mapping", later, complete_extract=True)
    assert summary.counts["Membership"]["closed"] >= 2

    nenc = System.objects.get(slug="north-east-and-north-cumbria")
    lsc = System.objects.get(slug="lancashire-and-south-cumbria")
    march = dt.date(2022, 3, 31)
    april = dt.date(2022, 4, 1)
    assert {m.organisation.ods_code for m in nenc.members_as_at(march)} >= {"P00001", "P00002"}
    april_nenc = {m.organisation.ods_code for m in nenc.members_as_at(april)}
    assert "P00001" not in april_nenc and "P00002" not in april_nenc and "P00003" in april_nenc
    assert "P00001" in {m.organisation.ods_code for m in lsc.members_as_at(april)}
    moved = Membership.objects.get(organisation__ods_code="P00001", system=nenc)
    assert moved.valid_until == march


def test_import_moves_the_version_of_what_it_changes(reference):
    """An organisation renamed and a membership closed by an import carry a new version, so a
    change form opened before the import refuses to save over it."""
    import_file("practice-mapping", mapping_rows("P00001|U1|01H|QHM|Y63"))
    practice = Organisation.objects.get(ods_code="P00001")
    membership = Membership.objects.get(organisation=practice)
    later = mapping_rows("P00001|U2|01K|QE1|Y62", date="01Apr2022").replace(
        b"PRACTICE P00001", b"RENAMED P00001"
    )

    import_file("practice-mapping", later, complete_extract=True)

    assert Organisation.objects.get(pk=practice.pk).version > practice.version
    assert Membership.objects.get(pk=membership.pk).version > membership.version


def test_extract_older_than_the_last_import_is_refused(reference):
    import_file("practice-mapping", mapping_rows("P00001|U1|01H|QHM|Y63", date="01Apr2022"))
    before = snapshot()
    with pytest.raises(ImportRefused, match="Import extracts in date order"):
        import_file("practice-mapping", mapping_rows("P00001|U1|01H|QHM|Y63"))
    assert snapshot() == before


def test_bad_row_at_the_end_leaves_the_database_exactly_as_before(reference):
    import_file("practice-mapping", MAPPING)
    before = snapshot()
    bad = MAPPING + mapping_rows("P00009|U1|01H|ZZZ|Y63").split(b"\n", 1)[1]
    with pytest.raises(ImportHasErrors) as refused:
        import_file("practice-mapping", bad)
    issues = refused.value.parsed.errors
    assert {issue.row for issue in issues} == {8}
    assert any(issue.column == "STP_CODE" and "ZZZ" in issue.reason for issue in issues)
    assert snapshot() == before


def test_real_world_dirt_is_read(reference):
    """A byte-order mark, CRLF, non-breaking spaces, lower-case codes and trailing blank
    lines are all read as the file means them."""
    dirty = (
        b"\xef\xbb\xbf"
        + mapping_rows("p00001|u1|01h|qhm|y63")
        .replace(b"PRACTICE p00001", "THE\u00a0 SURGERY".encode())
        .replace(b"\n", b"\r\n")
        + b"\r\n\r\n,,,\r\n"
    )
    parsed, _ = import_file("practice-mapping", dirty)
    assert parsed.errors == []
    practice = Organisation.objects.get(ods_code="P00001")
    assert practice.name == "THE SURGERY"
    assert Organisation.objects.filter(ods_code="01H").exists()


@pytest.mark.parametrize(
    ("rows", "column", "reason"),
    [
        (["P1|U1|01H|QHM|Y63", "P1|U1|01H|QHM|Y63"], "PRACTICE_CODE", "again (first in row 2)"),
        (["P1|U1|01H|XYZ|Y63"], "STP_CODE", "XYZ is not an STP or ICB code"),
        (["P1|U1|01H|QHM|Y99"], "COMM_REGION_CODE", "Y99 is not an NHS England region"),
        (["P1|U1|01H|QHM|Y62"], "COMM_REGION_CODE", "QHM is not in region Y62"),
    ],
)
def test_bad_rows_are_named_with_column_and_reason(reference, rows, column, reason):
    with pytest.raises(ImportHasErrors) as refused:
        import_file("practice-mapping", mapping_rows(*rows))
    issue = refused.value.parsed.errors[0]
    assert issue.column == column and reason in issue.reason
    assert not Organisation.objects.exists()


def test_pcn_across_two_systems_is_split_by_practices(reference):
    """A PCN with practices in two systems is a member of both, shared by practice count."""
    from decimal import Decimal

    raw = mapping_rows(
        "P1|U1|01H|QHM|Y63", "P2|U1|01H|QHM|Y63", "P3|U1|01K|QE1|Y62", "P4|U2|01K|QE1|Y62"
    )
    import_file("practice-mapping", raw)
    shares = dict(
        Membership.objects.filter(organisation__ods_code="U1").values_list("system__slug", "share")
    )
    assert shares == {
        "north-east-and-north-cumbria": Decimal("0.6667"),
        "lancashire-and-south-cumbria": Decimal("0.3333"),
    }
    assert Membership.objects.get(organisation__ods_code="U2").share == 1
    _, summary = import_file("practice-mapping", raw)
    assert summary.changed() == 0


def test_practice_shares_add_up_to_one():
    from collections import Counter

    from systems.importers.practice_mapping import practice_shares

    for counts in (Counter(a=1, b=1, c=1), Counter(a=2, b=1), Counter(a=5, b=3, c=3, d=1)):
        shares = practice_shares(counts)
        assert sum(shares.values()) == 1
        assert all(0 < share <= 1 for share in shares.values())


def test_impossible_date_and_wrong_column_count(reference):
    raw = mapping_rows("P1|U1|01H|QHM|Y63", "P2|U1|01H|QHM|Y63").decode()
    lines = raw.splitlines()
    lines.append(lines[1].replace("P1", "P3").replace("01Jan2022", "31Feb2022"))
    lines.append("GP_PRAC_PAT_LIST,01Jan2022,P4,TOO SHORT")
    with pytest.raises(ImportHasErrors) as refused:
        import_file("practice-mapping", ("\n".join(lines) + "\n").encode())
    issues = {(i.row, i.column) for i in refused.value.parsed.errors}
    assert issues == {(4, "EXTRACT_DATE"), (5, "whole row")}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV file"),
        (b"name,value\nx,1\n", "not an NHS Digital practice mapping"),
        (HEADER.encode() + b"\n", "no practices"),
    ],
)
def test_files_that_are_not_a_mapping_are_refused(reference, raw, message):
    with pytest.raises(ImportRefused, match=message):
        import_file("practice-mapping", raw)
    assert not Organisation.objects.exists()


def test_file_over_the_size_limit_is_refused(reference):
    """The limit is documented (25 MB); a 100 MB upload is refused before it is read."""
    huge = MAPPING + b"x" * (importer_base.MAX_IMPORT_BYTES + 1)
    with pytest.raises(ImportRefused, match="files over 25 MB are refused"):
        import_file("practice-mapping", huge)


def test_import_query_count_does_not_grow_with_rows(reference, django_assert_max_num_queries):
    """Bulk writes: 30 practices and 300 practices cost the same number of queries."""
    for count, start in ((30, 0), (300, 1000)):
        raw = mapping_rows(
            *[f"P{start + n:05d}|U{start + n // 10}|01H|QHM|Y63" for n in range(count)],
            date=f"01Jan{2022 + start // 1000}",
        )
        with django_assert_max_num_queries(40):
            import_file("practice-mapping", raw, complete_extract=True)


# -- the ODS trust list ---------------------------------------------------------------------


def test_trust_list_needs_its_date(reference):
    with pytest.raises(ImportRefused, match="give the date it describes"):
        parse_file("ods-trusts", ETR)


def test_trust_list_refuses_welsh_and_closed_rows_unless_skipped(reference):
    as_at = dt.date(2020, 10, 1)
    with pytest.raises(ImportHasErrors) as refused:
        import_file("ods-trusts", ETR, as_at=as_at)
    skippable = refused.value.parsed.skippable
    assert {issue.reason.split()[0] for issue in skippable} == {"RNL", "RYT"}
    assert not refused.value.parsed.errors
    assert not Organisation.objects.exists()

    _, summary = import_file("ods-trusts", ETR, as_at=as_at, skip_skippable=True)
    assert [issue.row for issue in summary.skipped] == [1, 8]
    assert "Skipped 2 rows:" in summary.lines()
    assert Organisation.objects.count() == 6
    ambulance = Organisation.objects.get(ods_code="RX6")
    assert ambulance.kind == "ambulance_trust"
    lsc = System.objects.get(slug="lancashire-and-south-cumbria")
    assert {m.organisation.ods_code for m in lsc.members_as_at(as_at)} == {"RXL", "RXN"}


def test_trust_list_with_old_area_team_codes_is_refused(reference):
    old = ETR.replace(b'"QHM"', b'"Q74"')
    with pytest.raises(ImportHasErrors) as refused:
        import_file("ods-trusts", old, as_at=dt.date(2020, 10, 1), skip_skippable=True)
    assert all("Q74 is not an STP or ICB code" in i.reason for i in refused.value.parsed.errors)
    assert len(refused.value.parsed.errors) == 3


def test_trust_list_kind_set_by_an_admin_is_kept(reference):
    import_file("ods-trusts", ETR, as_at=dt.date(2020, 10, 1), skip_skippable=True)
    Organisation.objects.filter(ods_code="RXL").update(kind="acute_trust")
    import_file("ods-trusts", ETR, as_at=dt.date(2020, 10, 1), skip_skippable=True)
    assert Organisation.objects.get(ods_code="RXL").kind == "acute_trust"


def test_membership_entered_by_hand_is_left_alone(reference):
    """A split trust's shares, entered by an editor, are not overwritten by the extract."""
    from decimal import Decimal

    from systems import actions

    trust = Organisation.objects.create(ods_code="RXL", name="Blackpool", kind="acute_trust")
    lsc = System.objects.get(slug="lancashire-and-south-cumbria")
    gm = System.objects.get(slug="greater-manchester")
    for system, share in ((lsc, "0.7"), (gm, "0.3")):
        actions.add_membership(
            organisation=trust,
            system=system,
            share=Decimal(share),
            valid_from=dt.date(2019, 4, 1),
            source="finance team",
        )
    import_file("ods-trusts", ETR, as_at=dt.date(2020, 10, 1), skip_skippable=True)
    assert sorted(trust.memberships.values_list("share", flat=True)) == [
        Decimal("0.3"),
        Decimal("0.7"),
    ]


# -- ONS lookups ----------------------------------------------------------------------------


def test_ons_lookup_matches_by_name_and_code_and_dates_new_codes(reference):
    parsed, summary = import_file("ons-lookup", ONS)
    assert parsed.as_at == dt.date(2018, 4, 1)
    assert summary.counts["Footprint ONS code"]["unchanged"] == 3
    renamed = ONS.replace(b"E54000007", b"E54000099")
    _, summary = import_file("ons-lookup", renamed, as_at=dt.date(2023, 4, 1))
    assert summary.counts["Footprint ONS code"]["created"] == 1
    gm = Footprint.objects.get(slug="greater-manchester")
    assert [c.code for c in gm.codes.as_at(dt.date(2023, 4, 1))] == ["E54000099"]
    assert [c.code for c in gm.codes.as_at(dt.date(2023, 3, 31))] == ["E54000057"]


def test_ons_region_and_stp_lookup(reference):
    raw = (
        b"nhser20cd,nhser20nm,stp20cd,stp20nm\n"
        b"E40000010,North West,E54000048,Healthier Lancashire and South Cumbria\n"
        b"E40000010,North West,E54000007,Greater Manchester\n"
    )
    parsed, summary = import_file("ons-lookup", raw)
    assert parsed.as_at == dt.date(2020, 4, 1)
    assert summary.counts["Region ONS code"]["unchanged"] == 1
    assert summary.counts["Footprint ONS code"]["unchanged"] == 2


def test_ons_lookup_unknown_name_is_an_error(reference):
    raw = b"stp18cd,stp18nm\nE54000999,Atlantis\n"
    with pytest.raises(ImportHasErrors) as refused:
        import_file("ons-lookup", raw)
    [issue] = refused.value.parsed.errors
    assert issue.row == 2 and issue.column == "stp18nm" and "Atlantis" in issue.reason


# -- the commands ---------------------------------------------------------------------------


def test_import_command_prints_summary(reference, tmp_path, capsys):
    path = tmp_path / "gp-reg-pat-prac-map.csv"
    path.write_bytes(MAPPING)
    call_command("import_practice_mapping", str(path))
    out = capsys.readouterr().out
    assert "describes 01 January 2022" in out
    assert "GP practice: 6 created, 0 updated, 0 closed, 0 unchanged" in out


def test_import_command_reports_rows_and_writes_nothing(reference, tmp_path, capsys):
    path = tmp_path / "etr.csv"
    path.write_bytes(ETR)
    with pytest.raises(CommandError, match=r"2 skippable rows\. Nothing was written"):
        call_command("import_ods_trusts", str(path), "--as-at", "2020-10-01")
    err = capsys.readouterr().err
    assert "Row 8, column 3 (region): RYT PUBLIC HEALTH WALES NHS TRUST is a Welsh" in err
    call_command("import_ods_trusts", str(path), "--as-at", "2020-10-01", "--skip-skippable")
    assert "Skipped 2 rows" in capsys.readouterr().out


def test_dry_run_writes_nothing(reference, tmp_path, capsys):
    path = tmp_path / "map.csv"
    path.write_bytes(MAPPING)
    before = snapshot()
    call_command("import_practice_mapping", str(path), "--dry-run")
    assert "GP practice: 6 created" in capsys.readouterr().out
    assert snapshot() == before


def test_overview_counts_imported_members(reference, client, analyst):
    import_file("practice-mapping", MAPPING)
    client.force_login(analyst)
    response = client.get("/", {"as_at": "2022-01-01"})
    kinds = {row["label"]: row["value"] for row in response.context["organisations"]}
    assert kinds == {
        "Clinical commissioning group": 3,
        "Primary care network": 6,
        "GP practice": 6,
    }
    assert response.context["member_systems"] == 2
    assert response.context["member_regions"] == 2
