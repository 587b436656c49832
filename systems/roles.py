"""Roles are groups with permissions, declared here once and synced after every migrate.

A role grants actions ("view", "add", "change", "delete") on models named as
`app_label.model` or `app_label.*`. Later apps add their models to the editors' lines below;
apps that are not installed are skipped.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

ANALYST = "Analyst"
DESIGNATION_EDITOR = "Designation editor"
FINANCE_EDITOR = "Finance editor"
PERFORMANCE_EDITOR = "Performance editor"
ADMINISTRATOR = "Administrator"

EDIT = ("view", "add", "change", "delete")
DOMAIN_APPS = ("systems", "finance", "performance", "reports")

ROLES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    ANALYST: [(f"{app}.*", ("view",)) for app in DOMAIN_APPS],
    DESIGNATION_EDITOR: [(f"{app}.*", ("view",)) for app in DOMAIN_APPS] + [("systems.*", EDIT)],
    FINANCE_EDITOR: [(f"{app}.*", ("view",)) for app in DOMAIN_APPS] + [("finance.*", EDIT)],
    PERFORMANCE_EDITOR: [(f"{app}.*", ("view",)) for app in DOMAIN_APPS]
    + [("performance.*", EDIT)],
    ADMINISTRATOR: [(f"{app}.*", EDIT) for app in DOMAIN_APPS]
    + [
        ("systems.organisation", ("import",)),
        ("auth.user", EDIT),
        ("auth.group", ("view",)),
    ],
}

# Roles that work in the admin site (and so need `is_staff`).
STAFF_ROLES = (DESIGNATION_EDITOR, FINANCE_EDITOR, PERFORMANCE_EDITOR, ADMINISTRATOR)


def role_permissions(role: str, apps=global_apps):
    """The Permission rows a role should hold."""
    Permission = apps.get_model("auth", "Permission")
    wanted = []
    for pattern, actions in ROLES[role]:
        app_label, _, model_name = pattern.partition(".")
        if app_label not in {config.label for config in apps.get_app_configs()}:
            continue
        codenames = []
        models = (
            apps.get_app_config(app_label).get_models()
            if model_name == "*"
            else [apps.get_model(app_label, model_name)]
        )
        for model in models:
            codenames += [f"{action}_{model._meta.model_name}" for action in actions]
        wanted += list(
            Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    return wanted


def sync_roles(sender=None, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """Create or update every role group so it holds exactly its declared permissions."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group

    # Permissions are made by their own post_migrate handler, which may not have run yet.
    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    for role in ROLES:
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set(role_permissions(role))
