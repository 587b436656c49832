from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "Board summaries"
    # A board summary draws on all of it.
    coverage_shown = ("structure", "memberships", "maturity", "finance", "performance")
    # A summary is asked for on a date of its own.
    coverage_follows_as_at = False
