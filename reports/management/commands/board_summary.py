"""Write a board summary straight to a file, the same document the web page builds.

    python manage.py board_summary --year 2017-18 --scope all --format pdf --output PATH
    python manage.py board_summary --scope wave:wave-1 --as-at 2018-09-27 --output wave1.docx

Scopes: all, region:<slug>, wave:<slug>, system:<ODS code or slug>. The format defaults to
the output file's extension. No BoardSummary row is kept: this is for scripts and checks.
"""

import datetime as dt
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from finance.models import FinancialYear
from reports.failures import BuildError
from reports.models import Scope, SummaryFormat
from reports.paper import compose_document, write_document
from reports.sections import SummaryScope
from systems.models import Region, System, Wave


def parse_scope(text: str) -> dict:
    """`all`, `region:<slug>`, `wave:<slug>` or `system:<code or slug>` as SummaryScope
    keyword arguments."""
    kind, _, name = text.partition(":")
    if kind == Scope.ALL and not name:
        return {"scope": Scope.ALL}
    try:
        if kind == Scope.REGION and name:
            return {"scope": Scope.REGION, "region": Region.objects.get(slug=name)}
        if kind == Scope.WAVE and name:
            return {"scope": Scope.WAVE, "wave": Wave.objects.get(slug=name)}
        if kind == Scope.SYSTEM and name:
            return {"scope": Scope.SYSTEM, "system": System.objects.get_by_code(name)}
    except (Region.DoesNotExist, Wave.DoesNotExist, System.DoesNotExist) as error:
        raise CommandError(f"No {kind} {name!r}") from error
    raise CommandError(
        f"Unknown scope {text!r}: use all, region:<slug>, wave:<slug> or system:<code or slug>"
    )


class Command(BaseCommand):
    help = "Write a board summary (PDF, Word or Excel) for a scope, financial year and date."

    def add_arguments(self, parser):
        parser.add_argument("--year", help="financial year, e.g. 2017-18 (omit: no finance)")
        parser.add_argument(
            "--scope",
            default="all",
            help="all | region:<slug> | wave:<slug> | system:<ODS code or slug> (default all)",
        )
        parser.add_argument(
            "--as-at",
            dest="as_at",
            type=dt.date.fromisoformat,
            help="designation as at YYYY-MM-DD (default today)",
        )
        parser.add_argument(
            "--format",
            choices=SummaryFormat.values,
            help="pdf, docx or xlsx (default: from the output's extension)",
        )
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--no-charts", action="store_true", help="leave the charts out")

    def handle(self, *args, year, scope, as_at, format, output, no_charts, **options):
        summary_format = format or output.suffix.lstrip(".").lower()
        if summary_format not in SummaryFormat.values:
            raise CommandError("Give --format pdf, docx or xlsx, or an output ending in one.")
        financial_year = None
        if year:
            try:
                financial_year = FinancialYear.objects.get_by_slug(year)
            except (ValueError, FinancialYear.DoesNotExist) as error:
                raise CommandError(f"No financial year {year!r} (write it 2017-18)") from error
        summary_scope = SummaryScope(
            as_at=as_at or dt.date.today(), year=financial_year, **parse_scope(scope)
        )
        started = time.perf_counter()
        document = compose_document(summary_scope)
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(f".{output.name}.partial")
        try:
            write_document(document, summary_format, partial, charts=not no_charts)
            partial.replace(output)
        except BuildError as error:  # no chart browser, say
            raise CommandError(str(error)) from error
        finally:
            partial.unlink(missing_ok=True)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {output} ({summary_format}, {output.stat().st_size:,} bytes, "
                f"{len(document.sections)} sections, {len(document.annexes)} annexes) "
                f"in {elapsed:.1f} s"
            )
        )
