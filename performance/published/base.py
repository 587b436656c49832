"""What the importers of NHS England's published files share: counts as published, months,
providers, and writing the observations.

NHS England's files list every organisation that reports, NHS trusts and others (independent
sector providers, walk-in centres and urgent care centres run by other bodies). England's figure
is the sum over all of them, so a provider the database does not know is not silently dropped:
its rows are reported as skippable, naming it, and the file is imported only if the user chooses
to skip them (the upload's “skip” box, `--skip-skippable`), knowing the national figure then
leaves them out. Known organisations count if they are NHS trusts or of kind “Other” (how
independent providers are recorded); a commissioner or practice code is an error.
"""

import datetime as dt
import re
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal

from django.utils.text import capfirst

from performance.importers import ObservationRecord, ObservationSummary, save_observations
from performance.models import Standard
from systems.importers import ImportHasErrors, ImportRefused, ParsedFile
from systems.importers.base import HeaderTable, clean_code, clean_text, not_after_today
from systems.models import TRUST_KINDS, Organisation, OrganisationKind

PROVIDER_KINDS = (*TRUST_KINDS, OrganisationKind.OTHER)
SOURCE_LENGTH = 500  # Observation.source
_LARGEST = 2_147_483_647  # PositiveIntegerField
_COUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}


def published_count(text: str, *, halves: bool = False) -> Decimal:
    """A count as NHS England publishes it: `1234` or `1,234`, an empty cell for none, and
    with `halves` a half (`11.5`: a patient shared between two providers)."""
    value = clean_text(text)
    if not value:
        return Decimal(0)
    if not _COUNT.match(value):
        raise ValueError(f"“{text}” is not a number of patients")
    count = Decimal(value.replace(",", ""))
    if count != count.to_integral_value() and not (halves and (count * 2) % 1 == 0):
        kind = "a whole number or a half" if halves else "a whole number"
        raise ValueError(f"“{text}” is not {kind} of patients")
    if count > _LARGEST:
        raise ValueError(f"“{text}” is too large")
    return count


def whole(count: Decimal) -> int:
    """A count with halves as a whole number of patients: to the nearest, a half to the even
    neighbour (2.5 is 2, 3.5 is 4), so halves round up as often as down over many providers
    and a part never rounds above its whole."""
    return int(count.to_integral_value(rounding=ROUND_HALF_EVEN))


def month_named(text: str, pattern: re.Pattern) -> dt.date:
    """The month of a period such as `MSitAE-MARCH-2019` or `RTT-March-2019`, read by
    `pattern` (month name, then year), in any case."""
    match = pattern.fullmatch(clean_text(text))
    if not match or match[1].lower() not in _MONTHS:
        raise ValueError(f"“{text}” is not a period this importer knows")
    return not_after_today(dt.date(int(match[2]), _MONTHS[match[1].lower()], 1))


class OneMonth:
    """The month of a file that describes one: every row must say the same."""

    def __init__(self):
        self.month: dt.date | None = None
        self.row = 0

    def check(self, number: int, month: dt.date) -> None:
        if self.month is None:
            self.month, self.row = month, number
        elif month != self.month:
            raise ValueError(
                f"is {month:%B %Y}, but the file is for {self.month:%B %Y} (row {self.row}); "
                "import one month's file at a time"
            )


class Providers:
    """The organisations a file names, looked up once."""

    def __init__(self, table: HeaderTable, role: str):
        codes = {clean_code(table.cell(cells, role)) for _, cells in table.rows}
        self.known = {
            o.ods_code: o
            for o in Organisation.objects.filter(ods_code__in=codes).only(
                "pk", "ods_code", "name", "kind"
            )
        }

    def find(self, parsed: ParsedFile, number: int, column: str, code: str, name: str = ""):
        """The provider of `code`, or None with the reason reported on `parsed`: skippable
        when the database does not know it, an error when it is not a provider."""
        named = f"{code} ({clean_text(name)})" if clean_text(name) else code
        provider = self.known.get(code)
        if not code:
            parsed.error(number, column, "is empty")
        elif provider is None:
            parsed.skip(
                number,
                column,
                f"{named} is not an organisation in the database, so its figures cannot be "
                "counted: add it, or skip its rows (England's figure then leaves it out)",
            )
        elif provider.kind not in PROVIDER_KINDS:
            parsed.error(
                number,
                column,
                f"{provider} is a {provider.get_kind_display().lower()}, not a provider",
            )
        else:
            return provider
        return None


def standards(*codes: str) -> dict[str, int]:
    """The ids of the standards by code; ImportRefused if one is not in the database."""
    found = dict(Standard.objects.filter(code__in=codes).values_list("code", "pk"))
    missing = [code for code in codes if code not in found]
    if missing:
        raise ImportRefused(
            f"The standard {', '.join(missing)} is not in the database: load the reference "
            "data (manage.py load_reference_data) first."
        )
    return found


def observation(
    number: int,
    provider,
    standard_id: int,
    month: dt.date,
    numerator: int,
    denominator: int,
    source: str,
) -> ObservationRecord:
    """A real observation, its numerator and denominator as published."""
    values = {
        "numerator": numerator,
        "denominator": denominator,
        "illustrative": False,
        "source": source[:SOURCE_LENGTH],
    }
    return ObservationRecord(number, provider.pk, standard_id, month, values)


def importer(parse: Callable[..., ParsedFile]):
    """The importer of a format whose `parse(raw, source_note=...)` reads a file: it writes the
    file all or nothing, refusing it (ImportHasErrors) while any row has an error, or has a
    skippable problem and skipping was not chosen. The summary counts observations by
    standard."""

    def import_file(
        raw: bytes, *, source_note: str, dry_run: bool, user=None, skip_skippable: bool = False
    ) -> tuple[ParsedFile, ObservationSummary]:
        parsed = parse(raw, source_note=source_note)
        if parsed.errors or (parsed.skippable and not skip_skippable):
            raise ImportHasErrors(parsed)
        names = dict(Standard.objects.values_list("pk", "short_name"))
        summary = save_observations(
            parsed.records,
            reason=f"Imported from {source_note}",
            dry_run=dry_run,
            user=user,
            kind=lambda record: capfirst(names[record.standard_id]),
            skipped=parsed.skippable,
        )
        return parsed, summary

    return import_file
