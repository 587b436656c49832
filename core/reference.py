"""Reference data shipped as CSV beside an app (financial years, national standards), loaded
after every `migrate` and again, cheaply, by the app's commands.

Loading only creates the rows that are missing: once a row exists it belongs to the editors,
and an edit made in the admin is never overwritten by the file. Loaders take the migration's
`apps` registry, so they run inside migrations and post_migrate handlers with historical models.
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps as global_apps

from .caching import bump_data_version


@dataclass(frozen=True)
class ReferenceFile:
    """One shipped CSV file and the model its rows become, one row per `key`."""

    app_label: str
    model_name: str
    path: Path
    key: str
    convert: Callable[[dict], dict]  # a CSV row to the model's field values

    def rows(self) -> list[dict]:
        with self.path.open(newline="", encoding="utf-8") as handle:
            return [self.convert(row) for row in csv.DictReader(handle)]

    def load(self, apps=global_apps, using: str = "default") -> int:
        """Create the rows whose `key` no row has yet; return how many were made."""
        model = apps.get_model(self.app_label, self.model_name)
        manager = model._default_manager.using(using)
        existing = set(manager.values_list(self.key, flat=True))
        missing = [model(**row) for row in self.rows() if row[self.key] not in existing]
        if missing:
            manager.bulk_create(missing)
            bump_data_version()  # a bulk write sends no signals
        return len(missing)

    def load_after_migrate(self, sender=None, using="default", apps=global_apps, **kwargs):
        """post_migrate handler: the rows exist whenever the model's table does (not when its
        app is migrated back to zero)."""
        try:
            apps.get_model(self.app_label, self.model_name)
        except LookupError:
            return
        self.load(apps=apps, using=using)
