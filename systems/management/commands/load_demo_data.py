"""Load every app's ILLUSTRATIVE demonstration data.

Each app that has demonstration data says so on its AppConfig with a
`load_demo_data(*, seed) -> list[str]` method (the lines to print); they run in
INSTALLED_APPS order, so systems (the back-dated memberships the others count) goes first.
Apps never import each other for this.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

DEFAULT_SEED = 2018


class Command(BaseCommand):
    help = (
        "Load ILLUSTRATIVE (made-up) demonstration data from every app: back-dated trust "
        "memberships, control totals, plans and outturns, performance observations. "
        "Reproducible for a seed and idempotent; real data are never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}"
        )

    def handle(self, *args, seed, **options):
        with transaction.atomic():
            for config in apps.get_app_configs():
                loader = getattr(config, "load_demo_data", None)
                if loader is None:
                    continue
                for line in loader(seed=seed):
                    self.stdout.write(f"{config.verbose_name}: {line}")
        self.stdout.write(self.style.SUCCESS(f"Illustrative demo data loaded (seed {seed})."))
