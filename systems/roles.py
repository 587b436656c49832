"""Roles are groups with permissions, declared here once and synced after every migrate.

A role grants actions ("view", "add", "change", "delete") on models named as
`app_label.model` or `app_label.*`, and named rights as `app_label.codename`. Later apps add
their models to the editors' lines below; apps that are not installed are skipped.

Every role carries the dashboard's view right (systems.access): a user with no role is logged
in but sees no data.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

from .access import VIEW_DASHBOARD

ANALYST = "Analyst"
DESIGNATION_EDITOR = "Designation editor"
FINANCE_EDITOR = "Finance editor"
PERFORMANCE_EDITOR = "Performance editor"
ADMINISTRATOR = "Administrator"

EDIT = ("view", "add", "change", "delete")
DOMAIN_APPS = ("systems", "maturity", "finance", "performance", "reports")
# The data-version counter moved from systems to core with the rights roles held on it there
# (systems.*); it has no admin page, so they let no one do anything with it.
DATA_VERSION = "core.dataversion"

# A line is (models, actions) or a named right "app_label.codename".
Grant = tuple[str, tuple[str, ...]] | str
VIEWER: list[Grant] = [
    VIEW_DASHBOARD,
    *((f"{app}.*", ("view",)) for app in DOMAIN_APPS),
    (DATA_VERSION, ("view",)),
]

ROLES: dict[str, list[Grant]] = {
    ANALYST: VIEWER,
    # Designation editors keep maturity (frameworks and ratings), theirs when it was in systems.
    DESIGNATION_EDITOR: [*VIEWER, ("systems.*", EDIT), ("maturity.*", EDIT), (DATA_VERSION, EDIT)],
    FINANCE_EDITOR: [*VIEWER, ("finance.*", EDIT)],
    PERFORMANCE_EDITOR: [*VIEWER, ("performance.*", EDIT)],
    ADMINISTRATOR: [
        VIEW_DASHBOARD,
        *((f"{app}.*", EDIT) for app in DOMAIN_APPS),
        (DATA_VERSION, EDIT),
        ("systems.organisation", ("import",)),
        ("auth.user", EDIT),
        ("auth.group", ("view",)),
        # Users' API tokens, to see and revoke (made only by their users).
        ("api.apitoken", ("view", "change")),
    ],
}

# Roles that work in the admin site (and so need `is_staff`).
STAFF_ROLES = (DESIGNATION_EDITOR, FINANCE_EDITOR, PERFORMANCE_EDITOR, ADMINISTRATOR)


def role_permissions(role: str, apps=global_apps):
    """The Permission rows a role should hold."""
    Permission = apps.get_model("auth", "Permission")
    wanted = []
    installed = {config.label for config in apps.get_app_configs()}
    for grant in ROLES[role]:
        if isinstance(grant, str):
            app_label, _, codename = grant.partition(".")
            wanted += list(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
            continue
        pattern, actions = grant
        app_label, _, model_name = pattern.partition(".")
        if app_label not in installed:
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
