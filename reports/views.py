"""Board summary pages: request one, watch it being built, download it, see earlier ones.

Views load, call and render: the writes are reports/actions.py, the build reports/tasks.py.
A summary's page and its status endpoint, polled every few seconds while it is built, are also
its watchdog: a build found silent for too long is queued again or failed there and then, so
nothing depends on a scheduler running.
Everyone with a role may request and download (every role can view reports); downloads are
served here, after login, never from a public media URL.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from . import actions
from .forms import BoardSummaryForm
from .models import BoardSummary, BuildStatus
from .tables import BoardSummaryTable

VIEW_PERMISSION = "reports.view_boardsummary"


class ReportsPermission(PermissionRequiredMixin):
    permission_required = VIEW_PERMISSION
    raise_exception = True


def load_summary(summary_id: int, queryset=None) -> BoardSummary:
    """The summary, after taking up its build if that has stopped (`is_stalled` is checked on
    the row loaded, so a live build costs no further query)."""
    queryset = queryset if queryset is not None else BoardSummary.objects.all()
    summary = get_object_or_404(queryset, pk=summary_id)
    if summary.is_stalled():
        actions.recover_stalled_build(summary_id=summary.pk)
        summary = get_object_or_404(queryset, pk=summary_id)
    return summary


def request_and_enqueue(user, data: dict) -> BoardSummary:
    """Create or reuse the summary; queue its build after the request's transaction commits,
    so a worker never looks for a row it cannot see yet."""
    summary, needs_build = actions.request_board_summary(
        scope=data["scope"],
        as_at=data["as_at"],
        summary_format=data["format"],
        year=data.get("year"),
        region=data.get("region"),
        wave=data.get("wave"),
        system=data.get("system"),
        requested_by=user,
    )
    if needs_build:
        transaction.on_commit(lambda: actions.enqueue_build(summary))
    return summary


class SummaryIndexView(ReportsPermission, TemplateView):
    """The request form and the summaries requested before, newest first."""

    template_name = "reports/index.html"

    def get_context_data(self, form=None, **kwargs):
        summaries = BoardSummary.objects.select_related(
            "requested_by", "region", "wave", "system", "year"
        )
        table = BoardSummaryTable(summaries)
        table.caption = "Board summaries requested before, newest first"
        RequestConfig(self.request, paginate={"per_page": 25}).configure(table)
        return super().get_context_data(
            form=form or BoardSummaryForm(), table=table, title="Board summaries", **kwargs
        )

    def post(self, request, *args, **kwargs):
        form = BoardSummaryForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        summary = request_and_enqueue(request.user, form.cleaned_data)
        return redirect(summary)


class SummaryDetailView(ReportsPermission, TemplateView):
    """Progress while it is built (static/reports/progress.js polls the status endpoint;
    without script the page refreshes itself), then the download, or the failure."""

    template_name = "reports/detail.html"

    def get_context_data(self, **kwargs):
        summary = load_summary(
            kwargs["summary_id"],
            BoardSummary.objects.select_related("requested_by", "region", "wave", "system", "year"),
        )
        return super().get_context_data(summary=summary, **kwargs)


def status_payload(summary: BoardSummary) -> dict:
    done = summary.status == BuildStatus.DONE
    return {
        "status": summary.status,
        "status_label": summary.get_status_display(),
        "progress": summary.progress,
        "message": summary.progress_message,
        "error": summary.error,
        "finished": summary.is_finished,
        "download_url": reverse("reports:download", args=[summary.pk]) if done else None,
    }


class SummaryStatusView(ReportsPermission, View):
    def get(self, request, summary_id):
        summary = load_summary(summary_id)
        response = JsonResponse(status_payload(summary))
        response["Cache-Control"] = "no-store"
        return response


class SummaryDownloadView(ReportsPermission, View):
    def get(self, request, summary_id):
        summary = get_object_or_404(BoardSummary, pk=summary_id)
        if summary.status != BuildStatus.DONE or not summary.file:
            raise Http404("This summary has no file yet.")
        try:
            handle = summary.file.open("rb")
        except FileNotFoundError as error:
            raise Http404("The summary's file is missing.") from error
        return FileResponse(
            handle,
            as_attachment=True,
            filename=summary.download_name,
            content_type=summary.content_type,
        )


class SummaryRetryView(ReportsPermission, View):
    """Ask again for a summary: a failed one is queued again; after the data changed, a new
    one is built against the new data."""

    def get(self, request, summary_id):
        # The button is a form on the summary's page; a plain visit goes there.
        return redirect(get_object_or_404(BoardSummary, pk=summary_id))

    def post(self, request, summary_id):
        summary = get_object_or_404(BoardSummary, pk=summary_id)
        again = request_and_enqueue(
            request.user,
            {
                "scope": summary.scope,
                "as_at": summary.as_at,
                "format": summary.format,
                "year": summary.year,
                "region": summary.region,
                "wave": summary.wave,
                "system": summary.system,
            },
        )
        if again.pk == summary.pk and again.status != BuildStatus.QUEUED:
            messages.info(request, "This summary is up to date with the data.")
        return redirect(again)
