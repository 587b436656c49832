"""The shipped snapshots load through the importers and match the published counts."""

import datetime as dt

import pytest
from django.db.models import Count, Q

from systems.models import Code, Membership, Organisation, SystemFootprint
from systems.reference import load_reference_data

pytestmark = pytest.mark.django_db

JAN22 = dt.date(2022, 1, 1)

# (CCGs, PCNs, practices) per STP in January 2022, from the derived table of the 42 footprints
# (shared/reference/systems_42.csv), itself from the same NHS Digital publication.
PER_STP = {
    "QE1": (8, 42, 202),
    "QF7": (5, 30, 184),
    "QGH": (1, 15, 80),
    "QH8": (5, 28, 150),
    "QHG": (1, 24, 96),
    "QHL": (1, 30, 158),
    "QHM": (8, 67, 360),
    "QJ2": (1, 15, 112),
    "QJG": (3, 25, 92),
    "QJK": (1, 31, 121),
    "QJM": (1, 16, 85),
    "QK1": (3, 26, 134),
    "QKK": (1, 36, 202),
    "QKS": (1, 43, 194),
    "QM7": (3, 36, 137),
    "QMF": (1, 48, 274),
    "QMJ": (1, 33, 183),
    "QMM": (1, 17, 105),
    "QNC": (6, 25, 145),
    "QNQ": (1, 17, 72),
    "QNX": (3, 39, 162),
    "QOC": (1, 9, 52),
    "QOP": (10, 67, 426),
    "QOQ": (6, 39, 181),
    "QOX": (1, 26, 92),
    "QPM": (1, 16, 68),
    "QR1": (1, 16, 72),
    "QRL": (2, 43, 145),
    "QRV": (1, 46, 354),
    "QSL": (1, 14, 64),
    "QT1": (1, 21, 127),
    "QT6": (1, 16, 58),
    "QU9": (3, 49, 159),
    "QUA": (1, 33, 206),
    "QUE": (1, 22, 86),
    "QUY": (1, 20, 79),
    "QVV": (1, 18, 73),
    "QWE": (1, 40, 181),
    "QWO": (5, 52, 279),
    "QWU": (1, 21, 119),
    "QXU": (1, 26, 104),
    "QYG": (9, 50, 354),
}


# STPs with practices in no PCN (code "U") in January 2022.
HAS_UNALLOCATED = frozenset(
    """QE1 QH8 QHG QHM QJG QJM QK1 QKK QKS QM7 QMF QMJ QNQ QNX QOC QOQ QOX QR1 QRL QRV QSL QT1
    QT6 QU9 QUA QUE QUY QWE QXU""".split()  # noqa: SIM905 - reads as the list it is
)


@pytest.fixture
def snapshots(reference_data_with_snapshots):
    return reference_data_with_snapshots


def test_national_practice_mapping_counts(snapshots):
    members = Membership.objects.as_at(JAN22)
    kinds = dict(
        members.values_list("organisation__kind").annotate(n=Count("organisation", distinct=True))
    )
    assert kinds["gp_practice"] == 6527
    # NHS Digital counts 1,255 PCN codes, one of them "U" (practices in no PCN), which is not
    # imported as a network.
    assert kinds["pcn"] == 1254
    assert kinds["ccg"] == 106
    systems = members.filter(organisation__kind="gp_practice").values("system").distinct()
    assert systems.count() == 42
    region_count = (
        SystemFootprint.objects.as_at(JAN22)
        .filter(system__in=systems)
        .values("footprint__region")
        .distinct()
        .count()
    )
    assert region_count == 7


def test_practice_mapping_matches_per_stp_counts(snapshots):
    ods = dict(
        Code.objects.filter(scheme="ods", system__isnull=False).values_list("system_id", "code")
    )
    counts = {}
    for system_id, kind, n in (
        Membership.objects.as_at(JAN22)
        .values_list("system_id", "organisation__kind")
        .annotate(n=Count("organisation"))
    ):
        counts.setdefault(ods[system_id], {})[kind] = n
    got = {
        code: (c.get("ccg", 0), c.get("pcn", 0), c.get("gp_practice", 0))
        for code, c in counts.items()
    }
    # The derived table counts "U" (practices in no PCN) as a PCN in the STPs that have them.
    expected = {
        code: (ccgs, pcns - (code in HAS_UNALLOCATED), practices)
        for code, (ccgs, pcns, practices) in PER_STP.items()
    }
    assert got == expected


def test_pcn_across_two_systems_is_shared(snapshots):
    split = (
        Membership.objects.as_at(JAN22)
        .filter(organisation__kind="pcn")
        .values("organisation")
        .annotate(n=Count("system"))
        .filter(n__gt=1)
    )
    assert split.count() == 4
    for row in split:
        shares = Membership.objects.as_at(JAN22).filter(organisation=row["organisation"])
        assert sum(m.share for m in shares) == 1


def test_trust_list_loads_english_open_trusts(snapshots):
    trusts = Membership.objects.as_at(dt.date(2020, 10, 1)).filter(
        Q(organisation__kind="nhs_trust") | Q(organisation__kind="ambulance_trust")
    )
    assert trusts.count() == 214
    # Welsh and closed trusts are not members; a closed one may be known only as a provider of
    # the shipped A&E figures (RNL, merged in 2019), with no system.
    skipped = ["RYT", "RQF", "RT4", "RNL"]
    assert not Membership.objects.filter(organisation__ods_code__in=skipped).exists()
    assert not Organisation.objects.filter(ods_code__in=skipped).exclude(observations__isnull=False)


def test_loading_snapshots_again_changes_nothing(snapshots):
    again = load_reference_data()
    assert again.changed() == 0


def test_ccgs_end_when_the_icbs_begin(snapshots):
    ccgs = Membership.objects.filter(organisation__kind="ccg")
    assert ccgs.as_at(dt.date(2022, 6, 30)).count() == 106
    assert not ccgs.as_at(dt.date(2022, 7, 1)).exists()
    assert set(Organisation.objects.filter(kind="ccg").values_list("closed_on", flat=True)) == {
        dt.date(2022, 6, 30)
    }
