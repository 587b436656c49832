"""A table's exported values computed straight from its records, for downloads of any size.

django-tables2's `Table.as_values()` works out, for every cell, which method gives the value,
which arguments that method takes and whether the column's field has choices, through a
`BoundRow`: about 35 µs a cell, half a second for a large system's members. An `ExportPlan`
works all that out once per column, from the same Table (so the page and its download cannot
drift apart), and then computes each row's values from its record alone, as `as_values` would:

- the columns `as_values` writes, in its order: every column the table has, hidden ones too,
  except those with `exclude_from_export`, headed as it heads them;
- a model field with choices is exported by its label (`get_<field>_display`);
- an empty value (the column's `empty_values`) is exported empty, without calling anything;
- otherwise the table's `value_<name>`, else its `render_<name>`, else the column's own
  `value` (which by default is its `render`), called with whichever of `value`, `record`,
  `column`, `bound_column`, `bound_row` and `table` it names;
- and the result as `force_str(..., strings_only=True)` gives it.

tests/core/test_export_values.py holds the plan equal to `as_values()` for every exportable
table of the site. Records come from the table's queryset in chunks (`QuerySet.iterator`), so
a download holds a chunk of rows in memory, not all of them.

Where every column's value is its own field's (a model field reached through foreign keys, or
an annotation) and nothing that computes it reads the record, the plan reads just those
fields (`values_list`) instead of building a model instance or two per row: a large system's
members download spent more time building instances than on everything else together.
"""

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.db.models.query import ModelIterable
from django.db.models.query_utils import DeferredAttribute
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.data import TableQuerysetData
from django_tables2.rows import BoundRow
from django_tables2.utils import Accessor

CHUNK_SIZE = 2000  # records fetched at a time from a queryset
ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")


def _caller(function, bound_column) -> tuple[Callable[[object, object, object], object], bool]:
    """`function` called for a cell, as `utils.call_with_appropriate` calls it: with all the
    cell arguments to a **kwargs, else just those it names, and not at all when it names one
    there is not. The result takes (value, record, table), what it needs worked out once; and
    whether it reads the record (or its row)."""
    from django_tables2 import utils  # the module attribute: core.patches memoises it

    names, catch_all = utils.signature(function)
    if catch_all:
        names = ARGUMENTS
    elif any(name not in ARGUMENTS for name in names):
        return (lambda value, record, table: None), False
    names = tuple(names)
    column = bound_column.column
    reads_record = "record" in names or "bound_row" in names
    if names == ("value",):  # the commonest: a column's own render(value)
        return (lambda value, record, table: function(value=value)), False

    def call(value, record, table):
        arguments = {"value": value, "record": record, "table": table}
        arguments.update(column=column, bound_column=bound_column)
        if "bound_row" in names:
            arguments["bound_row"] = BoundRow(record, table=table)
        return function(**{name: arguments[name] for name in names})

    return call, reads_record


def _value_function(bound_column):
    """What gives a column's exported value: its BoundColumn's `value` (the table's
    value_<name>, else its render_<name>, else the column's `value`), with the column's
    default `value` (which only calls its `render`) seen through to that `render`."""
    function = bound_column.value
    column = bound_column.column
    if getattr(function, "__self__", None) is column and (
        getattr(function, "__func__", None) is tables.Column.value
    ):
        return column.render
    return function


def _step(accessor: Accessor, current, bit: str):
    """One bit of `Accessor.resolve` on an object without item access: its attribute, called
    when callable. None when the library would have to look further (item or index lookup,
    a refusal): the caller then asks the library."""
    current = getattr(current, bit)
    if callable(current):
        if getattr(current, "alters_data", False):
            raise LookupError
        if not getattr(current, "do_not_call_in_templates", False):
            current = current(*accessor.callable_args, **accessor.callable_kwargs)
    return current


class _Slow(Exception):
    """This lookup needs the library's own `Accessor.resolve`."""


def _resolve(accessor: Accessor, bits: tuple[str, ...], context):
    """`accessor.resolve(context)` for the bits given (a prefix of the accessor's), done with
    plain attribute lookups when every object on the way is one (a model instance): as the
    library resolves, it tries item lookup first, which such objects refuse. Anything else
    goes to the library, which raises as it would."""
    current = context
    for bit in bits:
        if hasattr(type(current), "__getitem__"):
            raise _Slow
        try:
            current = _step(accessor, current, bit)
        except (TypeError, AttributeError, LookupError):
            raise _Slow from None
        if current is None:
            break
    return current


def _field_at(model, bits) -> models.Field | None:
    """The model field that `bits` reach from an instance of `model` when each is a field kept
    on the instance (a column's value, or a foreign key's object) and the last a column's
    value; None for anything else (a method, a property, a reverse relation, a dict)."""
    for number, bit in enumerate(bits):
        if not isinstance(model, type) or not issubclass(model, models.Model):
            return None
        found = inspect.getattr_static(model, bit, None)
        last = number == len(bits) - 1
        if last and isinstance(found, DeferredAttribute):
            return found.field
        if last or not isinstance(found, ForwardManyToOneDescriptor):
            return None
        model = found.field.related_model
    return None


def _plain_reader(model, bits) -> Callable | bool:
    """A reader of `bits` from an instance of `model` when they reach a model field without
    choices (`_field_at`): then `Accessor.resolve` would only read attributes, and `attrgetter`
    reads them the same, faster. False for anything else, which the general path resolves."""
    found = _field_at(model, bits)
    if found is None or found.choices:
        return False
    return attrgetter(".".join(bits))


def _value_rows_fields(queryset, columns) -> list[str] | None:
    """The fields (`values_list` names) that give every column its value when no column needs
    more than its own field's value (no record, no method or property of it): then a download
    reads those values, not a model instance per row. None otherwise, or when reading fewer
    columns could change the rows (DISTINCT, a union) or the queryset is not of instances."""
    query = queryset.query
    if queryset._iterable_class is not ModelIterable or query.distinct or query.combinator:
        return None
    fields = []
    for column in columns:
        bits = tuple(column.accessor.bits)
        annotated = len(bits) == 1 and bits[0] in query.annotation_select
        field = None if annotated else _field_at(queryset.model, bits)
        if column.reads_record or column.many_to_many or not (annotated or field):
            return None
        column.labels = (
            {make_hashable(key): label for key, label in field.flatchoices}
            if field is not None and field.choices
            else None
        )
        fields.append("__".join(bits))
    return fields


@dataclass
class ExportColumn:
    """One exported column: how its value comes from a record."""

    name: str
    header: object
    bound_column: object
    call: Callable[[object, object, object], object]
    reads_record: bool
    number_format: str
    spreadsheet_value: Callable | None
    _choices: dict = field(default_factory=dict)
    _plain: dict = field(default_factory=dict)
    labels: dict | None = None  # a field's choices, when read from value rows

    def __post_init__(self):
        column = self.bound_column.column
        self.column = column
        self.accessor = Accessor(self.bound_column.accessor)
        path, _, self.remainder = self.accessor.rpartition(self.accessor.SEPARATOR)
        self.path = Accessor(path)
        self.path_bits = tuple(self.path.bits)
        self.empty_values = column.empty_values
        self.many_to_many = isinstance(column, tables.ManyToManyColumn)
        self.text_link = isinstance(column, BaseLinkColumn) and column.text is not None

    def _penultimate(self, record):
        try:
            return _resolve(self.path, self.path_bits, record)
        except _Slow:
            return self.path.resolve(record, quiet=True)

    def _has_choices(self, record, penultimate) -> bool:
        key = (type(record), type(penultimate))
        if key not in self._choices:
            try:
                found = self.accessor.get_field(record)
            except FieldDoesNotExist:
                found = None
            self._choices[key] = bool(getattr(found, "choices", ()))
        return self._choices[key]

    def raw(self, record):
        """The record's own value for the column (`Accessor.resolve`, quietly)."""
        return self.accessor.resolve(record, quiet=True)

    def values(self, record, table) -> tuple[object, object]:
        """The exported value, as `BoundRow.get_cell_value` gives it, and the record's own
        value for a spreadsheet's conversion (the library's quiet `resolve`)."""
        read = self._plain.get(type(record))
        if read is None:
            read = self._plain[type(record)] = _plain_reader(type(record), self.accessor.bits)
        if read:
            try:
                value = read(record)
            except AttributeError:  # an empty relation on the way: the general path
                pass
            else:
                if value in self.empty_values:
                    return None, value
                return force_str(self.call(value, record, table), strings_only=True), value
        penultimate = self._penultimate(record)
        value = None
        remainder = self.remainder
        if isinstance(penultimate, models.Model) and self._has_choices(record, penultimate):
            display = getattr(penultimate, f"get_{remainder}_display", None)
            if display:
                value = display()
                remainder = None
        if remainder:
            try:
                if isinstance(record, dict) or penultimate is None:
                    raise _Slow
                value = _resolve(self.accessor, (remainder,), penultimate)
            except _Slow:
                try:
                    value = self.accessor.resolve(record)
                except Exception:
                    if self.text_link:
                        return force_str(self.call(None, record, table), strings_only=True), None
            raw = value  # what a quiet resolve gives: None where it failed
        else:  # the choice's label, not the stored value
            raw = self.raw(record) if self.spreadsheet_value is not None else None
        if value in self.empty_values or (self.many_to_many and not value.exists()):
            return None, raw
        return force_str(self.call(value, record, table), strings_only=True), raw

    def from_value(self, value, table) -> tuple[object, object]:
        """`values()` for a column read from value rows (`_value_rows_fields`): its field's
        value, a choice by its label as `get_<field>_display` gives it."""
        raw = value
        if self.labels is not None:
            value = force_str(self.labels.get(make_hashable(value), value), strings_only=True)
        if value in self.empty_values:
            return None, raw
        return force_str(self.call(value, None, table), strings_only=True), raw


class ExportPlan:
    """How a table's export is computed: its exported columns, worked out once from the
    Table, then each row's values from its record."""

    def __init__(self, table):
        self.table = table
        self.columns = []
        for bound_column in table.columns.iterall():
            column = bound_column.column
            if column.exclude_from_export:
                continue
            call, reads_record = _caller(_value_function(bound_column), bound_column)
            self.columns.append(
                ExportColumn(
                    name=bound_column.name,
                    header=force_str(bound_column.header, strings_only=True),
                    bound_column=bound_column,
                    call=call,
                    reads_record=reads_record,
                    number_format=getattr(column, "number_format", ""),
                    spreadsheet_value=getattr(column, "spreadsheet_value", None),
                )
            )
        self.header = [column.header for column in self.columns]
        self.formats = [column.number_format for column in self.columns]

    def _unread_queryset(self):
        data = self.table.data
        if isinstance(data, TableQuerysetData) and data.data._result_cache is None:
            return data.data
        return None

    def computed(self) -> Iterator[list[tuple[object, object]]]:
        """Each row's (exported value, the record's own value) per column, in the table's
        order (as sorted), a chunk at a time from a queryset not yet read: from value rows
        when every column's value is its own field's (`_value_rows_fields`), else from the
        records."""
        table, columns = self.table, self.columns
        queryset = self._unread_queryset()
        fields = _value_rows_fields(queryset, columns) if queryset is not None else None
        if fields:
            for row in queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
                yield [
                    column.from_value(value, table)
                    for column, value in zip(columns, row, strict=True)
                ]
            return
        records = queryset.iterator(chunk_size=CHUNK_SIZE) if queryset is not None else None
        for record in records if records is not None else iter(table.data):
            yield [column.values(record, table) for column in columns]

    def rows(self) -> Iterator[list]:
        """The header, then every row, as `as_values()` gives them."""
        yield list(self.header)
        for computed in self.computed():
            yield [value for value, _ in computed]

    def spreadsheet_rows(self) -> Iterator[tuple[list, list]]:
        """Each row's exported values and its cells as a spreadsheet gets them: a column's
        `spreadsheet_value(exported, the record's own value)` where it has one (a day as a
        date, a percentage as a fraction)."""
        converters = [column.spreadsheet_value for column in self.columns]
        for computed in self.computed():
            exported = [value for value, _ in computed]
            cells = [
                value if convert is None else convert(value, raw)
                for (value, raw), convert in zip(computed, converters, strict=True)
            ]
            yield exported, cells
