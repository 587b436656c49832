"""The OpenAPI description of the read API, built by drf-spectacular from the views: each
endpoint's query parameters come from the filter set of the page it mirrors, so the description
cannot drift from what the page accepts."""

import django_filters
from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from .authentication import KEYWORD

AS_AT = OpenApiParameter(
    "as_at",
    OpenApiTypes.DATE,
    description="The date the answer is as at (YYYY-MM-DD, 2016 or later); by default today.",
)


class ColumnSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The key of the column in each row.")
    label = serializers.CharField(help_text="The column's heading on the page and in exports.")


class TableSerializer(serializers.Serializer):
    """What every endpoint returns: the rows of the matching page's table, all of them (not a
    page of them), with the same columns and values as the page's CSV export."""

    title = serializers.CharField()
    caption = serializers.CharField(help_text="The page's caption for the table.")
    as_at = serializers.DateField(allow_null=True, help_text="The as-at date, where it applies.")
    page = serializers.URLField(help_text="The page showing the same table.")
    export = serializers.URLField(
        allow_null=True, help_text="The page's CSV export of the same rows."
    )
    columns = ColumnSerializer(many=True)
    count = serializers.IntegerField()
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text="One object per row, keyed by column name. Numbers are numbers, dates "
        "YYYY-MM-DD, an empty cell null; sources and whether figures are real or illustrative "
        "are columns wherever the page shows them.",
    )


def filter_parameter(name: str, field: django_filters.Filter) -> OpenApiParameter:
    """A page filter as a query parameter: its label, and its values where they are fixed."""
    description = str(field.label or name)
    kind, enum = str, None
    if isinstance(field, django_filters.DateFilter):
        kind = OpenApiTypes.DATE
    elif isinstance(field, django_filters.BooleanFilter):
        kind = OpenApiTypes.BOOL
    elif isinstance(field, django_filters.ModelChoiceFilter):
        key = field.extra.get("to_field_name") or "id"
        description += f" (the {key} of one {field.queryset.model._meta.verbose_name})"
    elif isinstance(field, django_filters.ChoiceFilter):
        choices = field.extra.get("choices")
        if not callable(choices):
            enum = [value for value, _ in choices]
            description += ": " + "; ".join(f"{value} ({label})" for value, label in choices)
    return OpenApiParameter(name, kind, description=description, enum=enum)


def sort_parameter(table_class) -> OpenApiParameter:
    """`sort`, as on the page: a column's name, with a leading minus to reverse it."""
    names = [
        name for name, column in table_class.base_columns.items() if column.orderable is not False
    ]
    return OpenApiParameter(
        "sort",
        str,
        description="Sort the rows by a column, as the page's column headings do: "
        + ", ".join(names)
        + " (a leading - reverses the order).",
    )


def page_parameters(page_class, follows_as_at: bool) -> list[OpenApiParameter]:
    """The query parameters of a table page: the as-at date where the page follows it, its
    filters, and its sort."""
    parameters = [AS_AT] if follows_as_at else []
    filterset_class = getattr(page_class, "filterset_class", None)
    if filterset_class is not None:
        parameters += [
            filter_parameter(name, field)
            for name, field in filterset_class.base_filters.items()
            if name != "as_at"
        ]
    table_class = getattr(page_class, "table_class", None)
    if table_class is not None:
        parameters.append(sort_parameter(table_class))
    return parameters


class EndpointSchema(AutoSchema):
    """Each endpoint's parameters, response and example, asked of the view class."""

    def get_override_parameters(self):
        return self.view.schema_parameters()

    def get_response_serializers(self):
        return TableSerializer

    def get_summary(self):
        return self.view.summary

    def get_tags(self):
        return [self.view.tag]

    def get_operation_id(self):
        # The endpoint's URL name ("league"), which its example names too.
        return self.view.example[0].partition(":")[2]

    def get_extensions(self):
        name, kwargs, query = self.view.example
        return {"x-example": reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": KEYWORD.lower(),
            "description": "A personal API token, made on your account page (/account/).",
        }
