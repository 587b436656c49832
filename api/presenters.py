"""The read API's answers, and its pages' rows, shaped from what the dashboard's pages build.

A table endpoint's rows are the rows of the page's own django-tables2 Table, through
`Table.as_values()`, the same call the page's CSV and XLSX exports make (core.exports): so the
API, the page and its exports cannot disagree. Only the spreadsheet neutralising of the exports
is left out, since JSON is never evaluated as a formula.
"""

import datetime as dt

from django.utils import timezone

from .models import ApiToken


def table_columns(table) -> list[dict]:
    """The exported columns of `table`, in order, each with its name (the key in a row) and
    its heading: the columns `Table.as_values()` writes, which skips those excluded from
    export."""
    header = next(iter(table.as_values()))
    names = [
        column.name for column in table.columns.iterall() if not column.column.exclude_from_export
    ]
    if len(names) != len(header):
        raise ValueError(f"{type(table).__name__}: {len(names)} names for {len(header)} headings")
    return [{"name": name, "label": label} for name, label in zip(names, header, strict=True)]


def table_payload(table, *, title: str, as_at: dt.date | None, page: str, export: str | None):
    """The JSON answer for a page's table: its rows as objects keyed by column name."""
    columns = table_columns(table)
    names = [column["name"] for column in columns]
    values = list(table.as_values())[1:]
    return {
        "title": title,
        "caption": str(table.caption or title),
        "as_at": as_at,
        "page": page,
        "export": export,
        "columns": columns,
        "count": len(values),
        "rows": [dict(zip(names, row, strict=True)) for row in values],
    }


DESIGNATION_COLUMNS = [
    ("system", "System"),
    ("system_code", "Code"),
    ("footprint", "Footprint"),
    ("designated", "Designated"),
    ("designated_on", "Designated on (first day of the month or year when known no closer)"),
    ("date_precision", "Date known to the"),
    ("status_on_date", "Status on the date"),
    ("source", "Source"),
    ("unverified", "Unverified"),
    ("note", "Note"),
]


def designation_rows(rows: list[dict]) -> list[dict]:
    """The wave page's table (`systems.presenters.wave_rows`) as API rows: each system
    designated in the wave, its footprint and status on the date, and the designation's
    source, flagged where it is unverified."""
    return [
        {
            "system": row["system"].name,
            "system_code": row["url_code"],
            "footprint": row["designation"].footprint_name,
            "designated": row["designation"].designated_display,
            "designated_on": row["designation"].designated_on,
            "date_precision": row["designation"].precision,
            "status_on_date": row["status_then"],
            "source": row["designation"].source,
            "unverified": row["designation"].unverified,
            "note": row["designation"].note or None,
        }
        for row in rows
    ]


def designations_payload(wave, rows: list[dict], *, as_at: dt.date, page: str) -> dict:
    return {
        "title": f"{wave.name}: designations",
        "caption": f"{wave.name}: designations and status on {as_at:%-d %B %Y}",
        "as_at": as_at,
        "page": page,
        "export": None,
        "columns": [{"name": name, "label": label} for name, label in DESIGNATION_COLUMNS],
        "count": len(rows),
        "rows": designation_rows(rows),
    }


# -- the account page -----------------------------------------------------------------------

PERIODS = {"s": "a second", "m": "a minute", "h": "an hour", "d": "a day"}


def rate_in_words(rate: str) -> str:
    """A rate as Django REST Framework writes it ("1000/hour"), in words ("1,000 requests an
    hour")."""
    count, _, period = rate.partition("/")
    return f"{int(count):,} requests {PERIODS[period[0]]}"


def token_state(token: ApiToken, now: dt.datetime) -> str:
    if token.revoked_at is not None:
        return f"Revoked {timezone.localtime(token.revoked_at):%-d %b %Y}"
    if token.expires_at <= now:
        return f"Expired {timezone.localtime(token.expires_at):%-d %b %Y}"
    return "Active"


def token_rows(tokens, now: dt.datetime) -> list[dict]:
    """The account page's list of a user's tokens: never the secret, only its start."""
    return [
        {
            "token": token,
            "state": token_state(token, now),
            "usable": token.is_usable(now),
        }
        for token in tokens
    ]


# -- the documentation page -----------------------------------------------------------------


def documented_endpoints(schema: dict) -> list[dict]:
    """The documentation page's sections, one per endpoint of the OpenAPI description: its
    path, summary, description, parameters and example request."""
    endpoints = []
    for path, operations in schema.get("paths", {}).items():
        operation = operations.get("get")
        if operation is None:
            continue
        endpoints.append(
            {
                "path": path,
                "id": operation.get("operationId", path),
                "summary": operation.get("summary") or path,
                "description": operation.get("description", ""),
                "tag": (operation.get("tags") or [""])[0],
                "parameters": [
                    {
                        "name": parameter["name"],
                        "where": parameter["in"],
                        "required": parameter.get("required", False),
                        "type": parameter.get("schema", {}).get("format")
                        or parameter.get("schema", {}).get("type", "string"),
                        "description": parameter.get("description", ""),
                    }
                    for parameter in operation.get("parameters", [])
                ],
                "example": operation.get("x-example"),
            }
        )
    return endpoints
