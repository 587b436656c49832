"""The generic table page: a filterable, sortable, paged table that exports exactly its rows,
its rendered table cached by the data version."""

from functools import cached_property

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from .caching import cached_fragment, query_part
from .exports import EXPORT_FORMATS, export_response
from .html import compact

FILTER_FORM_TEMPLATE = "_components/filter_form.html"


def render_table_html(request, table) -> str:
    """A table rendered once for the cache, so without its template's indentation."""
    return compact(
        render_to_string(settings.DJANGO_TABLES2_TEMPLATE, {"table": table}, request=request)
    )


class DeferredQuerySet:
    """A page's queryset, built only when its rows are asked for (`all()`).

    A filter set keeps its queryset from the start but reads it only for `qs`; building a
    large annotated queryset (the systems overview is 21 subqueries) costs a warm page more
    than the rest of its request, so a page whose table comes from the cache never builds it.
    `model` is the page's, so the form's labels are made without it."""

    def __init__(self, model, build):
        self.model = model
        self._build = build

    def all(self):
        return self._build().all()


class TablePage(TemplateView):
    """One kind of page: a filterable, sortable, paged table that exports exactly its rows.

    Subclasses name the table, the filter and the rows; `?_export=csv|xlsx` returns the
    filtered, sorted rows of the same Table, all pages of them.
    """

    template_name = "table_page.html"
    table_class = None
    filterset_class = None
    per_page = 50
    title = ""
    export_name = ""
    # The model of the rows: given, the filter form is built without building the queryset.
    model = None
    # What the page reads from its filter set on every request besides its rows (names of the
    # filter set's properties, such as "narrowed"): cached with the filter form and read from
    # `filter_state`, so a warm page never builds the filter set.
    filter_facts: tuple[str, ...] = ()

    def get_queryset(self):
        raise NotImplementedError

    def get_table_data(self, queryset):
        """The rows the table shows, from the filtered queryset: by default the queryset."""
        return queryset

    def get_table_kwargs(self, data) -> dict:
        return {}

    def get_filterset_kwargs(self) -> dict:
        """Further arguments for the page's filter set: by default none."""
        return {}

    @cached_property
    def filterset(self):
        """The page's filter set over `get_queryset()`, built once: the table's rows and the
        filter form shown above it come from the same one. None for a page without filters."""
        if self.filterset_class is None:
            return None
        if self.model is None:
            queryset = self.get_queryset()
        else:
            queryset = DeferredQuerySet(self.model, self.get_queryset)
        return self.filterset_class(
            self.request.GET or None,
            queryset=queryset,
            request=self.request,
            **self.get_filterset_kwargs(),
        )

    def get_table(self):
        queryset = self.get_queryset() if self.filterset is None else self.filterset.qs
        data = self.get_table_data(queryset)
        table = self.table_class(data, **self.get_table_kwargs(data))
        table.caption = self.get_caption()
        RequestConfig(self.request, paginate={"per_page": self.per_page}).configure(table)
        return table

    def get_caption(self) -> str:
        return f"{self.title} as at {self.request.as_at:%-d %B %Y}"

    def get_export_name(self) -> str:
        return f"{self.export_name or self.title} {self.request.as_at.isoformat()}"

    def get_cache_parts(self) -> tuple:
        """What the cached table depends on besides the data: the page, its URL arguments,
        the date and the query string."""
        return (
            type(self).__name__,
            tuple(sorted(self.kwargs.items())),
            self.request.as_at,
            query_part(self.request),
        )

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get("_export")
        if export_format in EXPORT_FORMATS:
            return export_response(self.get_table(), export_format, self.get_export_name())

        def render():
            table = self.get_table()
            return table.paginator.count, render_table_html(request, table)

        row_count, table_html = cached_fragment(self.get_cache_parts(), render)
        context = self.get_context_data(
            # The fragments are rendered by our own templates.
            table_html=mark_safe(table_html),
            filter_html=self.filter_html(),
            row_count=row_count,
            # Built only if the template asks for it: a warm page has its form in filter_html.
            filter=SimpleLazyObject(lambda: self.filterset),
            title=self.title,
        )
        return self.render_to_response(context)

    @cached_property
    def filter_state(self) -> dict:
        """The filter form, rendered, and the `filter_facts`: cached like the table, since the
        form's choices come from the data (a select of regions or waves is a query and dozens
        of widgets rendered) and the rest from the query string, the page and its date, which
        the key holds. Whether the address names the date decides whether the form carries
        it."""
        if self.filterset_class is None:
            return {"html": ""}
        parts = (*self.get_cache_parts(), "filter state", self.request.as_at_chosen)
        return cached_fragment(
            parts,
            lambda: {
                "html": render_to_string(
                    FILTER_FORM_TEMPLATE, {"filter": self.filterset}, request=self.request
                ),
                **{name: getattr(self.filterset, name) for name in self.filter_facts},
            },
        )

    def filter_html(self) -> str:
        """The filter form, rendered (`filter_state`)."""
        return mark_safe(self.filter_state["html"])
