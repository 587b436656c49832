from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FinanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "finance"
    verbose_name = "Finance"
    coverage_shown = ("structure", "memberships", "finance")
    # Its pages follow a financial year, or span many: never the as-at date.
    coverage_follows_as_at = False

    def ready(self):
        from .reference import load_financial_years_after_migrate

        post_migrate.connect(
            load_financial_years_after_migrate,
            sender=self,
            dispatch_uid="finance.load_financial_years",
        )

    def load_reference_rows(self, load, systems) -> None:
        """The published findings (paragraph 6 of the September 2018 board paper),
        through the systems reference loader (`systems.reference.load_reference_data`), after
        its own rows."""
        from .reference import load_plan_findings

        load_plan_findings(load, systems)

    def load_demo_data(self, *, seed: int) -> list[str]:
        from .demo import load_demo_data

        return load_demo_data(seed=seed).lines()

    def coverage_sources(self) -> list:
        from .coverage import finance_coverage_sources

        return finance_coverage_sources()

    def warm_paths(self) -> list[str]:
        """Pages systems.warming renders after a data change: the year the finance pages open
        on and plan against outturn."""
        from django.urls import reverse

        from .queries import latest_year_with_figures

        year = latest_year_with_figures()
        opening = [reverse("finance:year", args=[year])] if year is not None else []
        return [*opening, reverse("finance:plan-vs-outturn")]

    def bench_pages(self) -> list[tuple[str, str]]:
        """Pages for `manage.py bench_pages`, after giving the benchmark's members figures."""
        from .bench import bench_pages

        return bench_pages()

    def bench_computations(self) -> list[tuple[str, object, float]]:
        from .bench import bench_computations

        return bench_computations()
