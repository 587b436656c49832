"""User accounts in the admin, where no role can grant more than it holds.

An administrator who is not a superuser manages the users below them only: users who are not
superusers, not themselves, and whose every role grants strictly less than the administrator
holds (analysts, editors, users with no role yet). They may give those users only such roles.
Superuser and staff status, and permissions granted one by one, are the superuser's alone:
staff status follows the roles instead (editors and administrators work in the admin).
Users holding a single permission were given it by a superuser, and stay the superuser's.
So an administrator can neither make anyone a superuser or a fellow administrator, nor change
the password of a superuser or of another administrator.
"""

from collections import defaultdict

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import Exists, OuterRef

from .roles import STAFF_ROLES

User = get_user_model()

SUPERUSER_ONLY_FIELDS = ("is_superuser", "is_staff", "user_permissions")


def groups_below(user):
    """The roles (groups) `user` may grant: those granting strictly less than the user holds."""
    if user.is_superuser:
        return Group.objects.all()
    held = user.get_all_permissions()  # read once per request, by the view right's check
    granted = defaultdict(set)
    for group_id, app_label, codename in Group.permissions.through.objects.values_list(
        "group_id", "permission__content_type__app_label", "permission__codename"
    ):
        granted[group_id].add(f"{app_label}.{codename}")
    below = [pk for pk in Group.objects.values_list("pk", flat=True) if granted[pk] < held]
    return Group.objects.filter(pk__in=below)


def users_below(user):
    """The users `user` may manage (see the module docstring)."""
    if user.is_superuser:
        return User.objects.all()
    role_not_below = Group.objects.exclude(pk__in=groups_below(user).values("pk")).filter(
        user=OuterRef("pk")
    )
    # Single permissions are granted by superusers only, so their holders are theirs to manage.
    single_permission = Permission.objects.filter(user=OuterRef("pk"))
    return (
        User.objects.filter(is_superuser=False)
        .exclude(pk=user.pk)
        .exclude(Exists(role_not_below))
        .exclude(Exists(single_permission))
    )


class RoleBoundUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "roles", "is_staff")

    def get_queryset(self, request):
        return users_below(request.user).prefetch_related("groups")

    @admin.display(description="roles")
    def roles(self, obj):
        return ", ".join(sorted(group.name for group in obj.groups.all())) or "none"

    def _may_manage(self, request, obj) -> bool:
        return obj is None or users_below(request.user).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_manage(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser or obj is None:
            return readonly
        return (*readonly, *SUPERUSER_ONLY_FIELDS)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # A role posted from outside this list fails validation ("not one of the
            # available choices"), whatever a hand-made request sends.
            kwargs["queryset"] = groups_below(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if not request.user.is_superuser and not user.is_superuser:
            is_staff = user.groups.filter(name__in=STAFF_ROLES).exists()
            if user.is_staff != is_staff:
                user.is_staff = is_staff
                user.save(update_fields=["is_staff"])


admin.site.unregister(User)
admin.site.register(User, RoleBoundUserAdmin)
