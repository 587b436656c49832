"""Board summary pages: request one, watch it being built, download it, see earlier ones; and
the data package's page and download. They live here, beside their URLconfs, not in the
reports package: that package builds papers and packages from presenters, queries and rules
and imports no view at all.

Views load, call and render: the writes are reports/actions.py, queueing a build
reports/tasks.py, the status the page polls reports/presenters.py.
A summary's page and its status endpoint, polled every few seconds while it is built, are also
its watchdog: a build found silent for too long is queued again or failed there and then, so
nothing depends on a scheduler running.
Everyone with a role may request and download (every role can view reports); downloads are
served here, after login, never from a public media URL.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from core.caching import data_version
from reports import actions
from reports.apps import ReportsConfig
from reports.datapackage import DESCRIPTIONS, cached_package, package_name
from reports.forms import BoardSummaryForm
from reports.models import BoardSummary, BuildStatus
from reports.presenters import status_payload
from reports.tables import BoardSummaryTable
from reports.tasks import enqueue_build, request_and_queue

VIEW_PERMISSION = "reports.view_boardsummary"


class ReportsCoverage:
    """What "About this data" says on these pages: the reports app's settings, which
    core.coverage would find by itself for views inside that app."""

    coverage_kinds = ReportsConfig.coverage_shown
    coverage_follows_as_at = ReportsConfig.coverage_follows_as_at


class ReportsPermission(ReportsCoverage, PermissionRequiredMixin):
    permission_required = VIEW_PERMISSION
    raise_exception = True


def load_summary(summary_id: int, queryset=None) -> BoardSummary:
    """The summary, after taking up its build if that has stopped (`is_stalled` is checked on
    the row loaded, so a live build costs no further query)."""
    queryset = queryset if queryset is not None else BoardSummary.objects.all()
    summary = get_object_or_404(queryset, pk=summary_id)
    if summary.is_stalled():
        actions.recover_stalled_build(summary_id=summary.pk, enqueue=enqueue_build)
        summary = get_object_or_404(queryset, pk=summary_id)
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
        summary = request_and_queue(request.user, form.cleaned_data)
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
        return super().get_context_data(
            summary=summary, data_changed=summary.data_version != data_version(), **kwargs
        )


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
        again = request_and_queue(request.user, summary.request_fields)
        if again.pk == summary.pk and again.status != BuildStatus.QUEUED:
            messages.info(request, "This summary is up to date with the data.")
        return redirect(again)


class DataPackageView(TemplateView):
    """What the data package for the page's date holds, and the link to download it."""

    # Everything, as on the page's date (the package is taken on it).
    coverage_kinds = ReportsConfig.coverage_shown

    template_name = "reports/datapackage.html"

    def get_context_data(self, **kwargs):
        files = [
            {"path": f"{name}.csv", "description": text} for name, text in DESCRIPTIONS.items()
        ]
        return super().get_context_data(
            title="Everything on a date in one download",
            files=files,
            filename=f"{package_name(self.request.as_at)}.zip",
            **kwargs,
        )


class DataPackageDownloadView(View):
    """The zip of CSVs and `datapackage.json` for the page's date (`?as_at=`), built once per
    date until the data change."""

    def get(self, request):
        response = HttpResponse(cached_package(request.as_at), content_type="application/zip")
        filename = f"{package_name(request.as_at)}.zip"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
