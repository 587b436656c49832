from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PerformanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "performance"
    verbose_name = "Performance"
    coverage_shown = ("structure", "memberships", "performance")
    # Its pages follow a period, or span many; a system's page follows the as-at date.
    coverage_follows_as_at = False

    def ready(self):
        from .reference import load_standards_after_migrate

        post_migrate.connect(
            load_standards_after_migrate,
            sender=self,
            dispatch_uid="performance.load_standards",
        )

    def load_reference_rows(self, load, systems) -> None:
        """The published findings (paragraph 5 of the September 2018 board paper),
        through the systems reference loader (`systems.reference.load_reference_data`), after
        its own rows."""
        from .reference import load_performance_findings

        load_performance_findings(load, systems)

    def load_demo_data(self, *, seed: int) -> list[str]:
        from .demo import load_demo_data

        return load_demo_data(seed=seed).lines()

    def load_reference_figures(self, summary) -> None:
        """The shipped real A&E figures (April 2016 to March 2019), through the systems
        reference loader (`systems.reference.load_reference_data`), after its organisations
        and memberships."""
        from .reference import load_real_ae

        load_real_ae(summary)

    def coverage_sources(self) -> list:
        from .coverage import performance_coverage_sources

        return performance_coverage_sources()

    def warm_paths(self) -> list[str]:
        """Pages systems.warming renders after a data change: the index and every
        standard's league table for the latest year observed."""
        from django.urls import reverse

        from .models import Standard
        from .queries import years_observed

        years = years_observed()
        leagues = (
            [
                reverse("performance:league", args=[standard.slug, years[-1]])
                for standard in Standard.objects.all()
            ]
            if years
            else []
        )
        return [reverse("performance:index"), *leagues]

    def bench_pages(self) -> list[tuple[str, str]]:
        """Pages for `manage.py bench_pages`, after giving the benchmark's providers
        six years of illustrative observations."""
        from .bench import bench_pages

        return bench_pages()
