"""The organisation lookup: finding an organisation by name or code, which system it belonged
to on a date, and its whole membership history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Model
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from systems.models import KIND_LABELS, Organisation
from tests.factories.systems import (
    MembershipFactory,
    OrganisationFactory,
    SubIcbLocationFactory,
    SystemNameFactory,
    give_ods_code,
    make_system,
)

pytestmark = pytest.mark.django_db


def _found(response) -> set[str]:
    return {row.record.ods_code for row in response.context["table"].rows}


def test_search_by_code_in_any_case_and_by_part_of_a_name(analyst_client):
    """An ODS code matches whole and in any case; a name matches any part of it."""
    OrganisationFactory(ods_code="RAL", name="Royal Free London NHS Foundation Trust")
    OrganisationFactory(ods_code="RAL01", name="Another Place")
    OrganisationFactory(ods_code="RXQ", name="Buckinghamshire Healthcare NHS Trust")
    url = reverse("systems:organisations")
    assert _found(analyst_client.get(url, {"q": "ral"})) == {"RAL"}
    assert _found(analyst_client.get(url, {"q": "free london"})) == {"RAL"}
    assert _found(analyst_client.get(url, {"q": "healthcare"})) == {"RXQ"}
    assert _found(analyst_client.get(url, {"q": "nowhere at all"})) == set()


def test_search_by_sub_icb_location_code_finds_the_ccg_it_continues(analyst_client):
    """15A finds the CCG, and its page says which sub-ICB location continues it and under
    which ICB."""
    ccg = OrganisationFactory(ods_code="15A", name="NHS Berkshire West CCG", kind="ccg")
    icb = make_system(name="Buckinghamshire, Oxfordshire and Berkshire West")
    give_ods_code(icb, "QU9")
    SubIcbLocationFactory(
        code="15A",
        name="NHS Buckinghamshire, Oxfordshire and Berkshire West ICB - 15A",
        system=icb,
        clinical_commissioning_group=ccg,
    )
    OrganisationFactory(ods_code="15AX", name="Unrelated")
    url = reverse("systems:organisations")
    assert _found(analyst_client.get(url, {"q": "15a"})) == {"15A"}
    assert _found(analyst_client.get(url, {"q": "Oxfordshire and Berkshire West ICB"})) == {"15A"}
    page = analyst_client.get(reverse("systems:organisation", args=["15a"])).content.decode()
    assert "NHS Buckinghamshire, Oxfordshire and Berkshire West ICB - 15A (15A)" in page
    assert reverse("systems:detail", args=["QU9"]) in page


def test_closed_organisation_is_said_to_have_closed(analyst_client):
    ccg = OrganisationFactory(ods_code="99X", kind="ccg", closed_on=dt.date(2022, 6, 30))
    MembershipFactory(organisation=ccg, valid_until=dt.date(2022, 6, 30))
    response = analyst_client.get(
        reverse("systems:organisation", args=["99X"]), {"as_at": "2023-01-01"}
    )
    assert response.context["membership_sentence"] == (
        f"On 1 January 2023 {ccg.name} had closed (on 30 June 2022)."
    )


def test_practice_in_a_dissolved_system_is_found_in_its_successor_in_2026(
    analyst_client, reference_data_with_snapshots
):
    """Ashwell Surgery (D81047) was in Hertfordshire and West Essex from the January 2022
    practice mapping and moved to Central East on 1 April 2026 (an assumption, so flagged);
    in 2018 it is in Hertfordshire and West Essex by the January 2022 mapping carried back,
    flagged unverified with what that assumes."""
    url = reverse("systems:organisation", args=["D81047"])

    response = analyst_client.get(url, {"as_at": "2026-06-01"})
    assert response.context["membership_sentence"] == (
        "On 1 June 2026 Ashwell Surgery was a member of Central East."
    )
    history = [
        (m.system_name_from, m.valid_from, m.valid_until, m.unverified)
        for m in response.context["memberships"]
    ]
    assert history == [
        ("Hertfordshire and West Essex", dt.date(2016, 4, 1), dt.date(2021, 12, 31), True),
        ("Hertfordshire and West Essex", dt.date(2022, 1, 1), dt.date(2026, 3, 31), False),
        ("Central East", dt.date(2026, 4, 1), None, True),
    ]
    assert "Unverified" in response.content.decode()

    response = analyst_client.get(url, {"as_at": "2023-06-01"})
    assert response.context["membership_sentence"] == (
        "On 1 June 2023 Ashwell Surgery was a member of Hertfordshire and West Essex."
    )

    response = analyst_client.get(url, {"as_at": "2018-06-01"})
    assert response.context["membership_sentence"] == (
        "On 1 June 2018 Ashwell Surgery was a member of Hertfordshire and West Essex."
    )
    (carried,) = response.context["current"]
    assert carried.unverified
    assert "carried back" in carried.source
    assert "assuming the practice served the same footprint throughout" in carried.note


def test_practice_and_pcn_memberships_are_carried_back_once(reference_data_with_snapshots):
    """Every practice of the January 2022 mapping is a member from 1 April 2016, every PCN
    from 1 July 2019 (not before: PCNs began then), and a second run creates nothing."""
    from systems.backdating import PRACTICE_BACKDATED_SOURCE, backdate_practice_memberships
    from systems.models import Membership

    carried = Membership.objects.filter(source=PRACTICE_BACKDATED_SOURCE)
    assert set(carried.values_list("valid_from", "organisation__kind").distinct()) == {
        (dt.date(2016, 4, 1), "gp_practice"),
        (dt.date(2019, 7, 1), "pcn"),
    }
    assert set(carried.values_list("valid_until", flat=True)) == {dt.date(2021, 12, 31)}
    # One carried membership for each of January 2022 (a PCN across two footprints has two).
    for kind in ("gp_practice", "pcn"):
        assert carried.filter(organisation__kind=kind).count() == (
            Membership.objects.filter(
                organisation__kind=kind, valid_from=dt.date(2022, 1, 1)
            ).count()
        )
    assert backdate_practice_memberships()["created"] == 0
    assert not Membership.objects.filter(
        organisation__kind="ccg", valid_from__lt=dt.date(2022, 1, 1)
    ).exists()


def test_trust_from_the_trust_list_shows_its_system_in_2018(
    analyst_client, reference_data_with_snapshots
):
    """The Royal Berkshire (RHW) counted mostly in Berkshire West in 2018 (the trust list's
    membership carried back, see systems.backdating), and the lookup finds it by name."""
    found = analyst_client.get(reverse("systems:organisations"), {"q": "royal berkshire"})
    assert "RHW" in _found(found)
    response = analyst_client.get(
        reverse("systems:organisation", args=["RHW"]), {"as_at": "2018-06-01"}
    )
    sentence = response.context["membership_sentence"]
    assert sentence.startswith(
        "On 1 June 2018 Royal Berkshire NHS Foundation Trust was split between systems: "
    )
    largest = response.context["current"][0]
    assert largest.system_name_as_at == "Berkshire West"
    assert f"{largest.share:.0%} in Berkshire West" in sentence


def test_split_organisation_shows_each_share_and_systems_by_their_dated_names(analyst_client):
    """A trust split between two systems shows both shares on the date, largest first; a
    system renamed during the membership is named as it was then and as it became."""
    trust = OrganisationFactory(ods_code="RSPLIT", name="Split Trust")
    first = make_system(name="Humber and North Yorkshire")
    SystemNameFactory(
        system=first, short_name="Humber, Coast and Vale", valid_from=dt.date(2016, 1, 1)
    )
    SystemNameFactory(
        system=first, short_name="Humber and North Yorkshire", valid_from=dt.date(2022, 7, 1)
    )
    second = make_system(name="West Yorkshire")
    MembershipFactory(organisation=trust, system=first, share=Decimal("0.6"))
    MembershipFactory(organisation=trust, system=second, share=Decimal("0.4"))

    response = analyst_client.get(
        reverse("systems:organisation", args=["RSPLIT"]), {"as_at": "2019-01-01"}
    )
    assert response.context["membership_sentence"] == (
        "On 1 January 2019 Split Trust was split between systems: 60% in Humber, Coast and "
        "Vale and 40% in West Yorkshire."
    )
    assert "(later" not in response.content.decode()
    # Read in 2023, the still-open membership is named as it began and as it became.
    response = analyst_client.get(
        reverse("systems:organisation", args=["RSPLIT"]), {"as_at": "2023-01-01"}
    )
    assert "60% in Humber and North Yorkshire" in response.context["membership_sentence"]
    page = response.content.decode()
    assert "Humber, Coast and Vale</a> (later Humber and North Yorkshire)" in page
    listed = analyst_client.get(reverse("systems:organisations"), {"q": "RSPLIT"})
    assert "(and 1 other: split)" in listed.content.decode()


def test_system_members_link_to_their_organisation_pages(analyst_client):
    system = make_system(slug="linked-system", statuses=[("ics", dt.date(2018, 5, 24))])
    MembershipFactory(system=system, organisation__ods_code="RLINK")
    page = analyst_client.get(reverse("systems:detail", args=["linked-system"])).content.decode()
    assert f'href="{reverse("systems:organisation", args=["RLINK"])}"' in page


def test_systems_list_links_to_the_lookup(analyst_client):
    page = analyst_client.get(reverse("systems:list")).content.decode()
    assert f'href="{reverse("systems:organisations")}"' in page
    assert "Find an organisation" in page


def test_unknown_organisation_is_404(analyst_client):
    assert analyst_client.get(reverse("systems:organisation", args=["NOPE"])).status_code == 404


@pytest.mark.parametrize("count", [1, 40])
def test_organisation_page_query_count_does_not_grow_with_memberships(
    analyst_client, django_assert_max_num_queries, count
):
    """One membership or forty (each in its own system, some renamed): the same queries,
    the history in one."""
    trust = OrganisationFactory(ods_code="RMANY")
    for year in range(count):
        system = make_system()
        give_ods_code(system, f"Q{system.pk:03d}")
        SystemNameFactory(system=system, valid_from=dt.date(2016, 1, 1))
        MembershipFactory(
            organisation=trust,
            system=system,
            valid_from=dt.date(1980 + year, 1, 1),
            valid_until=dt.date(1980 + year, 12, 31),
        )
    with django_assert_max_num_queries(12):
        response = analyst_client.get(reverse("systems:organisation", args=["RMANY"]))
    assert len(response.context["memberships"]) == count


@pytest.mark.parametrize("count", [1, 60])
def test_organisation_list_query_count_does_not_grow_with_organisations(
    analyst_client, django_assert_max_num_queries, count
):
    system = make_system()
    for _ in range(count):
        MembershipFactory(system=system)
    with django_assert_max_num_queries(16):
        response = analyst_client.get(reverse("systems:organisations"))
    assert response.status_code == 200
    assert response.context["row_count"] == count


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    OrganisationFactory(ods_code="RANON")
    for url in (
        reverse("systems:organisations"),
        reverse("systems:organisation", args=["RANON"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@given(st.sampled_from([*KIND_LABELS, "", "not-a-kind", "GP_PRACTICE"]))
def test_kind_in_words_is_djangos_own(kind):
    """Organisation.get_kind_display, written out for speed, says what Django's generated one
    says for every choice and for a value that is not one."""
    organisation = Organisation(kind=kind)
    field = Organisation._meta.get_field("kind")
    assert organisation.get_kind_display() == Model._get_FIELD_display(organisation, field)
