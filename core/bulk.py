"""Bulk writes that keep their history: importers create and update thousands of rows at a
time, and every one of them must still leave a django-simple-history row saying who changed
it and why.

Bulk writes skip `Model.save`, so they send no signals and move no `Versioned` version: the
importer moves versions on itself (`stage_change`) and bumps the data version once at the end.
"""

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .caching import bump_data_version

BATCH = 1000


def stage_change(row, values: dict) -> bool:
    """Set `values` on an existing `Versioned` row; whether any of them differed. A changed
    row's version moves on by hand, so an editor with the old row open in the admin cannot
    save over the import."""
    if all(getattr(row, name) == value for name, value in values.items()):
        return False
    for name, value in values.items():
        setattr(row, name, value)
    row.version += 1
    return True


def write_with_history(
    model,
    new: list,
    changed: list,
    fields,
    *,
    user=None,
    reason: str = "",
    batch_size: int = BATCH,
    update_batch_size: int | None = None,
) -> None:
    """Bulk-create `new` and bulk-update `fields` (and the version) of `changed`, with a
    history row each naming `user` and `reason`."""
    if new:
        bulk_create_with_history(
            new,
            model,
            batch_size=batch_size,
            default_user=user,
            default_change_reason=reason or None,
        )
    if changed:
        bulk_update_with_history(
            changed,
            model,
            [*fields, "version"],
            batch_size=update_batch_size or batch_size,
            default_user=user,
            default_change_reason=reason or None,
        )


def end_import(*, dry_run: bool, changed: bool) -> None:
    """Inside the import's transaction: a dry run is rolled back whole, so its preview wrote
    nothing; a real run that changed anything moves the data version once, as its bulk writes
    sent no signals."""
    if dry_run:
        transaction.set_rollback(True)
    elif changed:
        bump_data_version()
