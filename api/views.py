"""The read API (version 1), the account page where users make and revoke their API tokens, and
the API's documentation page.

Each table endpoint sets up the page it mirrors with the same request (its as-at date, filters
and sort) and the same URL arguments, asks it for the Table its CSV export would write, and
answers with that Table's rows (api.presenters). No endpoint has a query or a rule of its own.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.as_at import parse_as_at
from core.compression import never_compress
from finance.views import ControlTotalYearView
from maturity.views import MaturityMatrixView
from performance.models import Standard
from performance.queries import system_trend
from performance.views import LeagueTableView, SystemPerformanceView
from systems.lookups import system_or_404
from systems.models import Wave
from systems.presenters import wave_rows
from systems.views import SystemDetailView, SystemListView, WaveListView

from . import presenters
from .actions import create_token, revoke_token
from .forms import TokenForm
from .schema import AS_AT, EndpointSchema, page_parameters
from .throttling import PerUserThrottle

# -- the API --------------------------------------------------------------------------------


class ReadOnlyEndpoint(APIView):
    """An endpoint that only reads: GET, HEAD and OPTIONS, anything else 405. Who may call it
    and how often are the project's defaults (settings.REST_FRAMEWORK)."""

    http_method_names = ["get", "head", "options"]
    schema = EndpointSchema()
    follows_as_at = True
    tag = ""
    summary = ""
    path_parameters: tuple = ()
    # The page showing the same table (URL name), and an example call: (URL name, arguments,
    # query string).
    page_name = ""
    example: tuple = ("", {}, "")

    @classmethod
    def as_view(cls, **initkwargs):
        # The API answers a request without credentials itself (401), not with the login page.
        return login_not_required(super().as_view(**initkwargs))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # The date is read as every page reads it (core.as_at), but a date that cannot be
        # read is refused with 400 naming the field, where a page says so and shows today.
        http_request = request._request
        requested = request.query_params.get("as_at")
        try:
            http_request.as_at = parse_as_at(requested) if requested else http_request.today
        except ValueError as error:
            raise ValidationError({"as_at": [f"Not a date we can show: {error}."]}) from error

    def throttled(self, request, wait):
        raise Throttled(
            wait,
            detail="Too many requests: each user may make "
            f"{presenters.rate_in_words(PerUserThrottle().rate)} to the API. "
            "Wait before trying again.",
        )

    @classmethod
    def schema_parameters(cls) -> list:
        return [*cls.path_parameters, *([AS_AT] if cls.follows_as_at else [])]

    def page_url(self, export: bool = False) -> str:
        query = self.request.query_params.copy()
        if self.follows_as_at:
            # The page would otherwise take the browser's remembered date.
            query["as_at"] = self.request.as_at.isoformat()
        if export:
            query["_export"] = "csv"
        url = reverse(self.page_name, kwargs=self.kwargs)
        return self.request.build_absolute_uri(f"{url}?{query.urlencode()}" if query else url)


class TableEndpoint(ReadOnlyEndpoint):
    """The rows of a dashboard page's table: `page_class`, set up with this request."""

    page_class = None

    @classmethod
    def schema_parameters(cls) -> list:
        return [*cls.path_parameters, *page_parameters(cls.page_class, cls.follows_as_at)]

    def table_from(self, page):
        """The Table the page exports; a table page's own by default."""
        filterset = page.filterset
        if filterset is not None and filterset.is_bound and not filterset.form.is_valid():
            # The page ignores a filter it cannot read; a script is told.
            raise ValidationError(filterset.form.errors)
        return page.get_table()

    def get(self, request, *args, **kwargs):
        page = self.page_class()
        page.setup(request._request, *args, **kwargs)
        table = self.table_from(page)
        return Response(
            presenters.table_payload(
                table,
                title=getattr(page, "title", "") or self.summary,
                as_at=request._request.as_at if self.follows_as_at else None,
                page=self.page_url(),
                export=self.page_url(export=True),
            )
        )


def _path(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, str, OpenApiParameter.PATH, required=True, description=description
    )


SYSTEM_CODE = _path("code", "The system's ODS code (any it has had) or its slug.")


class SystemsEndpoint(TableEndpoint):
    """Every system on the date, with the systems page's filters: its codes then, region,
    status, wave and date of designation, and number of member organisations. Without
    `status`, the systems that existed on the date (with `q`, those that had existed by then)."""

    page_class = SystemListView
    tag, summary, page_name = "systems", "Systems as at a date", "systems:list"
    example = ("api:systems", {}, "as_at=2019-07-01&status=ics")


class SystemMembersEndpoint(TableEndpoint):
    """A system's member organisations on the date, each with its share where it is split
    between systems, as on the system's page."""

    page_class = SystemDetailView
    path_parameters = (SYSTEM_CODE,)
    tag, summary, page_name = "systems", "A system's members as at a date", "systems:detail"
    example = ("api:system-members", {"code": "QOP"}, "as_at=2021-04-01")

    def table_from(self, page):
        return page.members_table(system_or_404(self.kwargs["code"], self.request.as_at))


class WavesEndpoint(TableEndpoint):
    """The waves in which systems were designated, with their dates (as precise as known),
    number of systems, sources and whether they are unverified."""

    page_class = WaveListView
    follows_as_at = False
    tag, summary, page_name = "waves", "Designation waves", "systems:waves"
    example = ("api:waves", {}, "")


class WaveDesignationsEndpoint(ReadOnlyEndpoint):
    """The systems designated in a wave, as on the wave's page: footprint and status on the
    date, when each was designated (as precisely as known), its source and whether it is
    unverified."""

    path_parameters = (_path("slug", "The wave's slug, as in its page's address."),)
    tag, summary, page_name = "waves", "A wave's designations", "systems:wave"
    example = ("api:wave-designations", {"slug": "wave-1"}, "as_at=2019-07-01")

    def get(self, request, *args, **kwargs):
        wave = get_object_or_404(Wave, slug=kwargs["slug"])
        as_at = request._request.as_at
        rows = wave_rows(wave, as_at)
        return Response(
            presenters.designations_payload(wave, rows, as_at=as_at, page=self.page_url())
        )


class MaturityEndpoint(TableEndpoint):
    """Every system's maturity rating on the date: the latest under each framework, or every
    assessment under one framework (`framework`) up to the date, with its source."""

    page_class = MaturityMatrixView
    tag, summary, page_name = "maturity", "Maturity ratings as at a date", "maturity:matrix"
    example = ("api:maturity", {}, "as_at=2019-07-01")


PERIOD = _path("period", "A financial year (2019-20), a quarter (2019-20-q3) or a month (2019-11).")


class LeagueEndpoint(TableEndpoint):
    """The league table of systems for a standard and period, as on its page: each system's
    figures, the nation's, the gap, whether the target was met, and the figures' source and
    whether they are real or illustrative. Systems as they stood on the period's first day."""

    page_class = LeagueTableView
    follows_as_at = False
    path_parameters = (_path("standard", "The standard's code, e.g. ae-4-hour."), PERIOD)
    tag, summary, page_name = "performance", "League table", "performance:league"
    example = ("api:league", {"standard": "ae-4-hour", "period": "2018-19"}, "")


class SystemTrendEndpoint(TableEndpoint):
    """A system's performance on each standard by financial year against England's, as on its
    performance page; the system is found as at the date."""

    page_class = SystemPerformanceView
    path_parameters = (SYSTEM_CODE,)
    tag, summary, page_name = "performance", "A system's trends", "performance:system"
    example = ("api:system-performance", {"code": "QOP"}, "")

    def table_from(self, page):
        system = system_or_404(self.kwargs["code"], self.request.as_at)
        return page.trend_table(system, system_trend(system, list(Standard.objects.all())))


class ControlTotalsEndpoint(TableEndpoint):
    """Every system's control total, plan and outturn for a financial year (£ thousands,
    surplus positive), members as at 1 April, as on the year's page, with whether the figures
    are real or illustrative."""

    page_class = ControlTotalYearView
    follows_as_at = False
    path_parameters = (_path("year", "The financial year, e.g. 2018-19."),)
    tag, summary, page_name = "finance", "Control totals for a year", "finance:year"
    example = ("api:control-totals", {"year": "2018-19"}, "")

    def table_from(self, page):
        if page.year.pk is None:
            raise NotFound(f"No figures have been entered for {page.year}.")
        return super().table_from(page)


class SchemaEndpoint(SpectacularAPIView):
    """The OpenAPI 3 description of the API: YAML, or JSON with `?format=json`."""

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))


# -- the documentation page -----------------------------------------------------------------


class ApiDocsView(TemplateView):
    """The API's documentation, drawn from its OpenAPI description by our own templates."""

    template_name = "api/docs.html"
    coverage_kinds = ()

    def get_context_data(self, **kwargs):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        return super().get_context_data(
            title="Read API",
            endpoints=presenters.documented_endpoints(schema),
            rate_limit=presenters.rate_in_words(PerUserThrottle().rate),
            **kwargs,
        )


# -- the account page -----------------------------------------------------------------------


class AccountView(TemplateView):
    """The user's account: their API tokens, a form to make one (its secret shown once, in
    the answer to the form) and a button to revoke each."""

    template_name = "api/account.html"
    coverage_kinds = ()

    def get_context_data(self, **kwargs):
        tokens = self.request.user.api_tokens.all()
        kwargs.setdefault("form", TokenForm())
        return super().get_context_data(
            title="Your account",
            tokens=presenters.token_rows(tokens, timezone.now()),
            rate_limit=presenters.rate_in_words(PerUserThrottle().rate),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "revoke" in request.POST:
            token = get_object_or_404(request.user.api_tokens, pk=request.POST["revoke"])
            revoke_token(token=token)
            messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
            return redirect("account")
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        token, secret = create_token(user=request.user, **form.token_arguments())
        context = self.get_context_data(new_token=token, secret=secret)
        # The secret is on this page: never compressed (core.compression, BREACH).
        return never_compress(self.render_to_response(context, status=201))
