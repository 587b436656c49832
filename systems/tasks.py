"""The page warming after a data change as a Celery task (systems.warming)."""

from celery import shared_task

from .warming import warm


@shared_task(ignore_result=True)
def warm_pages(version: int) -> None:
    """Render the common pages into the shared cache for data `version`."""
    warm(version)
