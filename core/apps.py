from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared plumbing every domain app uses: the as-at date, caching, chart payloads,
    exports, the generic table page, wording, dates, the versioned admin and third-party
    patches. No domain models of its own."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Shared plumbing"

    def ready(self):
        from .patches import install

        install()
