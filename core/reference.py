"""Reference data shipped as CSV beside an app (financial years, national standards), loaded
after every `migrate` and again, cheaply, by the app's commands.

Loading only creates the rows that are missing: once a row exists it belongs to the editors,
and an edit made in the admin is never overwritten by the file. Loaders take the migration's
`apps` registry, so they run inside migrations and post_migrate handlers with historical models.
"""

import csv
from collections.abc import Callable
from pathlib import Path

from .caching import bump_data_version


def read_reference_rows(path: Path, convert: Callable[[dict], dict]) -> list[dict]:
    """Each row of a UTF-8 CSV file with a header, as `convert` turns it into field values."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [convert(row) for row in csv.DictReader(handle)]


def create_missing(model, rows: list[dict], key: str, using: str = "default") -> int:
    """Create the rows whose `key` no row has yet; return how many were made."""
    manager = model._default_manager.using(using)
    existing = set(manager.values_list(key, flat=True))
    missing = [model(**row) for row in rows if row[key] not in existing]
    if missing:
        manager.bulk_create(missing)
        bump_data_version()  # a bulk write sends no signals
    return len(missing)


def has_model(apps, app_label: str, model_name: str) -> bool:
    """Whether the registry has the model: not when its app is migrated back to zero."""
    try:
        apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return True
