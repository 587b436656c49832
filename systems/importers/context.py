"""Codes the importers check rows against, read once per file."""

import datetime as dt
from dataclasses import dataclass

from ..models import Code, CodeScheme, SystemFootprint


@dataclass
class ReferenceCodes:
    system_ids: dict[str, int]  # system ODS code valid on the date -> system id
    region_codes: dict[str, int]  # region ODS code -> region id
    footprint_ons: dict[str, int]  # footprint ONS code valid on the date -> footprint id
    region_ons: dict[str, int]  # region ONS code valid on the date -> region id
    system_region: dict[int, int]  # system id -> region id of its footprint on the date
    system_footprint: dict[int, int]  # system id -> footprint id on the date

    @classmethod
    def as_at(cls, day: dt.date) -> "ReferenceCodes":
        codes = list(
            Code.objects.as_at(day).values_list(
                "scheme", "code", "system_id", "region_id", "footprint_id"
            )
        )
        coverage = SystemFootprint.objects.as_at(day).values_list(
            "system_id", "footprint_id", "footprint__region_id"
        )
        return cls(
            system_region={system: region for system, _f, region in coverage},
            system_footprint={system: footprint for system, footprint, _r in coverage},
            system_ids={c: s for scheme, c, s, _r, _f in codes if s and scheme == CodeScheme.ODS},
            region_codes={c: r for scheme, c, _s, r, _f in codes if r and scheme == CodeScheme.ODS},
            footprint_ons={
                c: f for scheme, c, _s, _r, f in codes if f and scheme == CodeScheme.ONS
            },
            region_ons={c: r for scheme, c, _s, r, _f in codes if r and scheme == CodeScheme.ONS},
        )
