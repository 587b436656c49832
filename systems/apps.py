from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


class SystemsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "systems"
    verbose_name = "Local health systems"
    # The kinds of data (core.coverage) its pages show, unless a view says otherwise.
    coverage_shown = ("structure", "memberships")

    def ready(self):
        from core.caching import bump_on_domain_write, data_changed

        from .roles import sync_roles
        from .warming import warm_on_change

        post_migrate.connect(sync_roles, dispatch_uid="systems.sync_roles")
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(bump_on_domain_write, dispatch_uid=f"systems.bump.{id(signal)}")
        data_changed.connect(warm_on_change, dispatch_uid="systems.warm_on_change")

    def warm_paths(self) -> list[str]:
        """Pages systems.warming renders after a data change: the overview, the systems list
        and the waves, for today."""
        return ["/", "/systems/", "/waves/"]

    def load_demo_data(self, *, seed: int) -> list[str]:
        from .demo import load_demo_data

        return load_demo_data(seed=seed)

    def coverage_sources(self) -> list:
        from .coverage import systems_coverage_sources

        return systems_coverage_sources()
