from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Read API"

    def ready(self):
        # drf-spectacular finds the token scheme's description by importing it.
        from . import schema  # noqa: F401
