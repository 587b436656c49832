import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from systems import models
from systems.roles import STAFF_ROLES


class SourcedFactory(factory.django.DjangoModelFactory):
    """A row of a `Sourced` model: every fact records where it came from."""

    class Meta:
        abstract = True

    source = "test"


class RegionFactory(SourcedFactory):
    class Meta:
        model = models.Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class FootprintFactory(SourcedFactory):
    class Meta:
        model = models.Footprint

    name = factory.Sequence(lambda n: f"Footprint {n}")
    slug = factory.Sequence(lambda n: f"footprint-{n}")
    region = factory.SubFactory(RegionFactory)
    established_on = dt.date(2016, 1, 1)


class SystemFactory(SourcedFactory):
    class Meta:
        model = models.System

    name = factory.Sequence(lambda n: f"System {n}")
    slug = factory.Sequence(lambda n: f"system-{n}")


class SystemFootprintFactory(SourcedFactory):
    class Meta:
        model = models.SystemFootprint

    system = factory.SubFactory(SystemFactory)
    footprint = factory.SubFactory(FootprintFactory)
    valid_from = dt.date(2016, 1, 1)


class SystemStatusFactory(SourcedFactory):
    class Meta:
        model = models.SystemStatus

    system = factory.SubFactory(SystemFactory)
    status = models.SystemStatusKind.STP
    effective_from = dt.date(2016, 1, 1)


class SystemNameFactory(SourcedFactory):
    class Meta:
        model = models.SystemName

    system = factory.SubFactory(SystemFactory)
    name = factory.Sequence(lambda n: f"NHS Area {n} Integrated Care Board")
    short_name = factory.Sequence(lambda n: f"Area {n}")
    valid_from = dt.date(2022, 7, 1)


class WaveFactory(SourcedFactory):
    class Meta:
        model = models.Wave

    name = factory.Sequence(lambda n: f"Wave {n}")
    slug = factory.Sequence(lambda n: f"wave-{n}")
    sequence = factory.Sequence(lambda n: n + 1)
    announced_on = dt.date(2018, 5, 24)
    effective_on = dt.date(2018, 5, 24)


class DesignationFactory(SourcedFactory):
    class Meta:
        model = models.Designation

    system = factory.SubFactory(SystemFactory)
    wave = factory.SubFactory(WaveFactory)
    designated_on = dt.date(2018, 5, 24)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organisation

    ods_code = factory.Sequence(lambda n: f"R{n:04d}")
    name = factory.Sequence(lambda n: f"Trust {n}")
    kind = models.OrganisationKind.ACUTE_TRUST


class MembershipFactory(SourcedFactory):
    class Meta:
        model = models.Membership

    organisation = factory.SubFactory(OrganisationFactory)
    system = factory.SubFactory(SystemFactory)
    share = Decimal("1")
    valid_from = dt.date(2018, 4, 1)


def make_system(*, statuses=(("stp", dt.date(2016, 1, 1)),), footprint=None, **kwargs):
    """A system over a whole footprint with the given (status, from) history."""
    system = SystemFactory(**kwargs)
    SystemFootprintFactory(system=system, footprint=footprint or FootprintFactory())
    for status, effective_from in statuses:
        SystemStatusFactory(system=system, status=status, effective_from=effective_from)
    return system


def give_ods_code(system, code=None):
    """An ODS code for `system` from 2016: `code`, or Q and the system's id in three digits."""
    return models.Code.objects.create(
        system=system,
        scheme="ods",
        code=code or f"Q{system.pk:03d}",
        valid_from=dt.date(2016, 1, 1),
        source="test",
    )


def give_ons_code(system, code: str):
    """An ONS code from 2016 for the footprint `system` covers (one the map's boundaries know,
    such as E54000007, draws it)."""
    return models.Code.objects.create(
        footprint=system.footprints.get().footprint,
        scheme="ons",
        code=code,
        valid_from=dt.date(2016, 1, 1),
        source="test",
    )


def absorb(system, *, into, on: dt.date):
    """Record that `system` was absorbed into `into` on `on`."""
    return system.events.create(
        kind=models.EventKind.ABSORBED_INTO, related_system=into, occurred_on=on, source="test"
    )


def make_user_with_role(
    django_user_model, role: str, *, username: str = "", is_staff: bool | None = None
):
    """A user in `role`'s group, named after the role unless named, and staff when the role
    works in the admin unless told (tests log in with force_login, not the password)."""
    user = django_user_model.objects.create_user(
        username=username or role.lower().replace(" ", "_"),
        password="not-used-tests-log-in-with-force-login",
        is_staff=role in STAFF_ROLES if is_staff is None else is_staff,
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def make_staff_user(django_user_model, username: str, role: str):
    """A staff user in `role`'s group."""
    return make_user_with_role(django_user_model, role, username=username, is_staff=True)


class SubIcbLocationFactory(SourcedFactory):
    class Meta:
        model = models.SubIcbLocation

    code = factory.Sequence(lambda n: f"S{n:04d}")
    name = factory.LazyAttribute(lambda o: f"NHS {o.system.name} ICB - {o.code}")
    system = factory.SubFactory(SystemFactory)
    valid_from = dt.date(2022, 7, 1)


class PopulationFactory(SourcedFactory):
    class Meta:
        model = models.Population

    system = factory.SubFactory(SystemFactory)
    estimated_on = dt.date(2019, 6, 30)
    all_ages = 1_000_000
    aged_65_and_over = 190_000
