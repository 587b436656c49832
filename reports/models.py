"""Board summaries: board-paper-style documents built from the data, and their build state.

A summary is identified by what it is about and the data it was built from: its scope (all
systems, a region, a wave or a system), the financial year and as-at date it reports on, its
format, and the data version (`core.caching.data_version`, bumped by every write to the
domain data). The same request against the same data is the same summary, so it is built once
(`key` is unique); after any change to the data the next request builds a new one, and the
old one stays listed as it was.

The build runs in a Celery task (reports/tasks.py) and records its progress here, so the page
that polls for it and the worker that builds it need share nothing but the database. Every
step it records is also its heartbeat: a build silent for longer than REPORTS_STALL_SECONDS
has stopped (its worker was killed, say) and is queued again or failed
(`actions.recover_stalled_builds`), so no request is left "being built" for ever.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from finance.models import FinancialYear
from systems.models import Region, System, Wave


class Scope(models.TextChoices):
    ALL = "all", "All systems"
    REGION = "region", "One region"
    WAVE = "wave", "One wave"
    SYSTEM = "system", "One system"


class SummaryFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    XLSX = "xlsx", "Excel (XLSX)"


CONTENT_TYPES = {
    SummaryFormat.PDF: "application/pdf",
    SummaryFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    SummaryFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class BuildStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being built"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


def summary_key(
    *,
    scope: str,
    scope_object,
    year: FinancialYear | None,
    as_at: dt.date,
    summary_format: str,
    data_version: int,
) -> str:
    """What makes two summaries the same: readable, so a row explains itself in the admin."""
    target = f"{scope}:{scope_object.pk}" if scope_object is not None else scope
    year_part = year.slug if year is not None else "no-year"
    # A build without chart images (REPORTS_CHARTS off) is a different document.
    charts = "" if settings.REPORTS_CHARTS else "|no-charts"
    return f"{target}|{year_part}|{as_at.isoformat()}|{summary_format}|v{data_version}{charts}"


class BoardSummaryQuerySet(models.QuerySet):
    def stalled(self, now: dt.datetime | None = None):
        """Summaries queued or being built that have given no sign of life for longer than
        REPORTS_STALL_SECONDS: their build has stopped."""
        now = now or timezone.now()
        silent_since = now - dt.timedelta(seconds=settings.REPORTS_STALL_SECONDS)
        return self.filter(
            status__in=(BuildStatus.QUEUED, BuildStatus.RUNNING), heartbeat_at__lt=silent_since
        )


class BoardSummary(models.Model):
    """One board summary document: what it covers, who asked, and how its build went."""

    scope = models.CharField(max_length=10, choices=Scope)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    wave = models.ForeignKey(
        Wave, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    system = models.ForeignKey(
        System, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.ForeignKey(
        FinancialYear,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The financial year the finance section reports on; none leaves it out.",
    )
    as_at = models.DateField(
        "as at", help_text="The date the designation picture (waves, statuses) is taken on."
    )
    format = models.CharField(max_length=4, choices=SummaryFormat)
    data_version = models.BigIntegerField(
        help_text="The data version the summary was requested against."
    )
    key = models.CharField(max_length=200, unique=True, editable=False)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_summaries",
    )
    requested_at = models.DateTimeField(default=timezone.now)

    status = models.CharField(max_length=8, choices=BuildStatus, default=BuildStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done, 0 to 100.")
    progress_message = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True, help_text="Why the last build failed.")
    task_id = models.CharField(max_length=64, blank=True, help_text="The build task running it.")
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(
        "last sign of life",
        default=timezone.now,
        help_text="When the build last said it was alive: queued, started or a step done.",
    )
    restarts = models.PositiveSmallIntegerField(
        default=0,
        help_text="Times a stopped build was queued again since it was asked for.",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to="board-summaries/", blank=True, max_length=300)

    objects = BoardSummaryQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = "board summary"
        verbose_name_plural = "board summaries"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope=Scope.ALL, region__isnull=True, wave__isnull=True, system__isnull=True)
                    | Q(
                        scope=Scope.REGION,
                        region__isnull=False,
                        wave__isnull=True,
                        system__isnull=True,
                    )
                    | Q(
                        scope=Scope.WAVE,
                        region__isnull=True,
                        wave__isnull=False,
                        system__isnull=True,
                    )
                    | Q(
                        scope=Scope.SYSTEM,
                        region__isnull=True,
                        wave__isnull=True,
                        system__isnull=False,
                    )
                ),
                name="board_summary_scope_names_its_object",
                violation_error_message="A region, wave or system scope names one, and only it.",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="board_summary_progress_at_most_100",
            ),
            models.CheckConstraint(
                condition=~Q(status=BuildStatus.DONE) | ~Q(file=""),
                name="board_summary_done_has_a_file",
                violation_error_message="A finished summary must have its file.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_format_display()})"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def scope_object(self):
        return {
            Scope.REGION: self.region,
            Scope.WAVE: self.wave,
            Scope.SYSTEM: self.system,
        }.get(self.scope)

    @property
    def scope_label(self) -> str:
        if self.scope == Scope.ALL:
            return "All systems"
        if self.scope == Scope.REGION:
            return f"{self.region.name} region"
        return str(self.scope_object)

    @property
    def title(self) -> str:
        year = f", {self.year}" if self.year_id else ""
        return f"Board summary: {self.scope_label}{year}"

    @property
    def request_fields(self) -> dict:
        """What was asked for, as the request form's cleaned data: to ask for it again."""
        return {
            "scope": self.scope,
            "as_at": self.as_at,
            "format": self.format,
            "year": self.year,
            "region": self.region,
            "wave": self.wave,
            "system": self.system,
        }

    @property
    def is_finished(self) -> bool:
        return self.status in (BuildStatus.DONE, BuildStatus.FAILED)

    def is_stalled(self, now: dt.datetime | None = None) -> bool:
        """The row's own answer to `BoardSummary.objects.stalled()`, with no query."""
        now = now or timezone.now()
        silent = now - self.heartbeat_at > dt.timedelta(seconds=settings.REPORTS_STALL_SECONDS)
        return self.status in (BuildStatus.QUEUED, BuildStatus.RUNNING) and silent

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def download_name(self) -> str:
        from django.utils.text import slugify

        year = f"-{self.year.slug}" if self.year_id else ""
        return f"board-summary-{slugify(self.scope_label)}{year}-{self.as_at:%Y%m%d}.{self.format}"
