"""Derived tables: the rows of one query joined into another as a table of their own.

A correlated subquery (`Subquery` with `OuterRef`) is run once for every row of the outer
query, and once for every column asked of it: five columns of the same coverage are five
subqueries. A derived table is run once for the whole query and joined like a table, so a
count over thousands of memberships is one grouped scan, and any number of its columns cost
one join:

    LEFT OUTER JOIN (SELECT ... GROUP BY ...) derived ON (derived.key = outer.id)

`DerivedTable(rows, key=...)` wraps a query (its rows one per key, its columns named in
`values(name=expression)`); `table.column(name)` is an expression that joins the table into
whatever query it is used in (once, however many of its columns are used) and reads the
column. The join is a LEFT OUTER JOIN, so an outer row without a derived row is kept, with
its columns NULL, and never repeated: each key must have at most one row.
"""

from django.db.models import Expression, F, QuerySet
from django.db.models.sql.constants import INNER, LOUTER


class DerivedTable:
    """The rows of `rows` (a `values()` query naming every column it selects, at most one row
    for each value of the column `key`), joined to the query they are used in where `key`
    equals `on` (a field name or expression of that query; its primary key by default)."""

    def __init__(self, rows: QuerySet, *, key: str, on: str | Expression = "pk"):
        query = rows.order_by().query
        if query.values_select or key not in query.annotation_select:
            raise ValueError(
                "A derived table's rows name each column they select, key included: "
                "values(name=expression)."
            )
        self.query = query
        self.key = key
        self.on = F(on) if isinstance(on, str) else on

    def column(self, name: str) -> "DerivedColumn":
        """The column `name` of the table, joining it into the query the expression is
        resolved in (once per query, whichever columns are used)."""
        return DerivedColumn(self, name)


class DerivedColumn(Expression):
    """A column of a `DerivedTable`, before it is joined into a query."""

    contains_aggregate = False

    def __init__(self, table: DerivedTable, name: str):
        selected = table.query.annotation_select[name]
        # A column's field as a subquery selecting it would have (`Query.output_field`): a
        # foreign key as the foreign key, so a filter on it takes a model instance too.
        super().__init__(output_field=getattr(selected, "target", None) or selected.output_field)
        self.table = table
        self.name = name

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        parent_alias = query.get_initial_alias()
        on = self.table.on.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        # A derived table joined from another (its `on` a column of that one) comes after it.
        for column in on.flatten():
            if isinstance(column, DerivedCol):
                parent_alias = column.alias
        alias = query.join(DerivedJoin(self.table, parent_alias, on))
        return DerivedCol(alias, self.name, self.output_field)

    def as_sql(self, compiler, connection):
        raise ValueError("A derived table's column is read only from the query it is joined to.")


class DerivedCol(Expression):
    """A column of a derived table joined into a query under `alias`."""

    contains_aggregate = False
    contains_over_clause = False

    def __init__(self, alias: str, name: str, output_field):
        super().__init__(output_field=output_field)
        self.alias = alias
        self.name = name

    def __repr__(self):
        return f"{self.__class__.__name__}({self.alias}.{self.name})"

    def as_sql(self, compiler, connection):
        qn = compiler.quote_name
        return f"{qn(self.alias)}.{qn(self.name)}", []

    def resolve_expression(self, *args, **kwargs):
        # Already joined: a query that takes this one as a subquery reads it as it is.
        return self

    def relabeled_clone(self, change_map):
        return self.__class__(change_map.get(self.alias, self.alias), self.name, self.output_field)

    def get_group_by_cols(self):
        return [self]

    @property
    def identity(self):
        return (self.__class__, self.alias, self.name)

    def __eq__(self, other):
        return isinstance(other, DerivedCol) and self.identity == other.identity

    def __hash__(self):
        return hash(self.identity)


class DerivedJoin:
    """The join of a `DerivedTable` in a query's `alias_map` (the interface Django's `Join`
    documents): `LEFT OUTER JOIN (rows) alias ON (alias.key = on)`."""

    table_name = "derived"
    filtered_relation = None
    join_field = None
    nullable = True

    def __init__(self, table: DerivedTable, parent_alias: str, on, join_type=LOUTER, alias=None):
        self.table = table
        self.parent_alias = parent_alias
        self.on = on
        self.join_type = join_type
        self.table_alias = alias

    def as_sql(self, compiler, connection):
        rows_sql, rows_params = self.table.query.get_compiler(connection=connection).as_sql()
        on_sql, on_params = compiler.compile(self.on)
        qn = compiler.quote_name
        alias = qn(self.table_alias)
        sql = f"{self.join_type} ({rows_sql}) {alias} ON ({alias}.{qn(self.table.key)} = {on_sql})"
        return sql, (*rows_params, *on_params)

    def relabeled_clone(self, change_map):
        return self.__class__(
            self.table,
            change_map.get(self.parent_alias, self.parent_alias),
            self.on.relabeled_clone(change_map),
            self.join_type,
            change_map.get(self.table_alias, self.table_alias),
        )

    @property
    def identity(self):
        # The same table joined on the same column is one join, however many columns are read.
        return (self.__class__, id(self.table), self.parent_alias, self.on)

    def __eq__(self, other):
        return isinstance(other, DerivedJoin) and self.identity == other.identity

    def __hash__(self):
        return hash(self.identity)

    def demote(self):
        return self.__class__(self.table, self.parent_alias, self.on, INNER, self.table_alias)

    def promote(self):
        return self.__class__(self.table, self.parent_alias, self.on, LOUTER, self.table_alias)
