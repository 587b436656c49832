from django.apps import AppConfig


class MaturityConfig(AppConfig):
    """How systems were rated: frameworks, their levels and domains, and assessments."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "maturity"
    verbose_name = "Maturity"
    coverage_shown = ("structure", "maturity")

    def warm_paths(self) -> list[str]:
        """Pages systems.warming renders after a data change: today's maturity matrix."""
        return ["/maturity/"]

    def coverage_sources(self) -> list:
        from .coverage import maturity_coverage_sources

        return maturity_coverage_sources()

    def load_reference_rows(self, load, systems) -> None:
        """The shipped frameworks and known ratings, through the systems reference loader
        (`systems.reference.load_reference_data`), which calls this after its own rows."""
        from .reference import load_frameworks_and_ratings

        load_frameworks_and_ratings(load, systems)
