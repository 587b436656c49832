from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SystemsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "systems"
    verbose_name = "Local health systems"

    def ready(self):
        from .roles import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="systems.sync_roles")
