from django.core.management.base import BaseCommand

from finance.demo import DEFAULT_SEED, load_demo_data


class Command(BaseCommand):
    help = (
        "Load ILLUSTRATIVE (made-up) control totals, plans and outturns for every NHS trust "
        "member, 2016/17 to 2021/22, with the back-dated trust memberships they need. "
        "Reproducible for a seed and idempotent; real figures are never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}"
        )

    def handle(self, *args, seed, **options):
        summary = load_demo_data(seed=seed)
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Illustrative demo data loaded (seed {seed}): {summary.changed()} rows written."
            )
        )
