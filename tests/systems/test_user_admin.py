"""Managing users in the admin: no role can grant more than it holds.

Each test makes the request a hostile administrator would, by hand, not only through the
widgets the form offers.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from systems.roles import ADMINISTRATOR, ANALYST, DESIGNATION_EDITOR, FINANCE_EDITOR

pytestmark = pytest.mark.django_db


def _role(name: str) -> Group:
    return Group.objects.get(name=name)


def _user(django_user_model, username: str, *roles: str, **flags):
    user = django_user_model.objects.create_user(username, password="a-long-unused-pass-1")
    for name, value in flags.items():
        setattr(user, name, value)
    user.save()
    user.groups.add(*(_role(role) for role in roles))
    return user


def _change_data(user, **changes) -> dict:
    """What the change form posts for `user`, with `changes` applied."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [str(group.pk) for group in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_administrator_cannot_make_themselves_superuser(client, administrator):
    """Ticking is_superuser (and is_staff, and one-by-one permissions) on one's own account
    is not possible: the account is not in the administrator's list at all."""
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[administrator.pk])

    response = client.post(
        url, _change_data(administrator, is_superuser="on", is_staff="on", user_permissions=["1"])
    )

    administrator.refresh_from_db()
    assert response.status_code in (302, 403)
    assert not administrator.is_superuser
    assert not administrator.user_permissions.exists()


def test_administrator_cannot_make_an_analyst_superuser(client, administrator, analyst):
    """is_superuser and is_staff are read-only to an administrator: posted values are ignored."""
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[analyst.pk])

    page = client.get(url)
    response = client.post(url, _change_data(analyst, is_superuser="on", is_staff="on"))

    analyst.refresh_from_db()
    assert page.status_code == 200
    assert "is_superuser" not in page.context["adminform"].form.fields
    assert response.status_code == 302
    assert not analyst.is_superuser
    assert not analyst.is_staff


def test_administrator_cannot_change_the_superusers_password(
    client, administrator, django_user_model
):
    """The superuser is above every role: their password page and change page are refused."""
    root = django_user_model.objects.create_superuser("root", password="the-original-secret-1")
    client.force_login(administrator)

    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    response = client.post(
        password_url,
        {"password1": "taken-over-pass-42", "password2": "taken-over-pass-42"},
    )
    change = client.get(reverse("admin:auth_user_change", args=[root.pk]))

    root.refresh_from_db()
    assert response.status_code in (403, 404)
    assert change.status_code in (302, 403, 404)
    assert root.check_password("the-original-secret-1")


def test_administrator_cannot_change_another_administrators_password(
    client, administrator, django_user_model
):
    """Another administrator is a peer, not below: their password stays theirs."""
    other = _user(django_user_model, "other-admin", ADMINISTRATOR, is_staff=True)
    client.force_login(administrator)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[other.pk]),
        {"password1": "taken-over-pass-42", "password2": "taken-over-pass-42"},
    )

    other.refresh_from_db()
    assert response.status_code in (403, 404)
    assert other.check_password("a-long-unused-pass-1")


def test_administrator_may_set_an_analysts_password(client, administrator, analyst):
    """Users below the administrator are theirs to manage, password included."""
    client.force_login(administrator)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[analyst.pk]),
        {"password1": "a-new-pass-for-you-7", "password2": "a-new-pass-for-you-7"},
    )

    analyst.refresh_from_db()
    assert response.status_code == 302
    assert analyst.check_password("a-new-pass-for-you-7")


def test_administrator_cannot_grant_the_administrator_role(
    client, administrator, django_user_model
):
    """A posted role the administrator may not grant fails validation and nothing changes."""
    target = _user(django_user_model, "newcomer")
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[target.pk])

    response = client.post(url, _change_data(target, groups=[str(_role(ADMINISTRATOR).pk)]))

    assert response.status_code == 200
    assert "groups" in response.context["adminform"].form.errors
    assert not target.groups.exists()


def test_administrator_grants_an_editor_role_and_staff_follows(
    client, administrator, django_user_model
):
    """Giving an editor's role makes the user staff (so the admin opens for them); taking it
    away again removes staff status."""
    target = _user(django_user_model, "newcomer")
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[target.pk])

    granted = client.post(url, _change_data(target, groups=[str(_role(FINANCE_EDITOR).pk)]))
    target.refresh_from_db()
    staff_after_grant = target.is_staff
    removed = client.post(url, _change_data(target, groups=[str(_role(ANALYST).pk)]))
    target.refresh_from_db()

    assert granted.status_code == removed.status_code == 302
    assert staff_after_grant
    assert not target.is_staff
    assert list(target.groups.values_list("name", flat=True)) == [ANALYST]


def test_administrator_lists_only_users_below(client, administrator, analyst, django_user_model):
    """The user list shows the users below the administrator: not superusers, not fellow
    administrators, not themselves."""
    django_user_model.objects.create_superuser("root", password=None)
    _user(django_user_model, "other-admin", ADMINISTRATOR, is_staff=True)
    _user(django_user_model, "editor", DESIGNATION_EDITOR, is_staff=True)
    _user(django_user_model, "no-role")
    client.force_login(administrator)

    response = client.get(reverse("admin:auth_user_changelist"))

    listed = {user.username for user in response.context["cl"].result_list}
    assert listed == {analyst.username, "editor", "no-role"}


def test_administrator_cannot_delete_the_superuser(client, administrator, django_user_model):
    """Deleting a user above the administrator is refused, by page and by bulk action."""
    root = django_user_model.objects.create_superuser("root", password=None)
    client.force_login(administrator)

    page = client.post(reverse("admin:auth_user_delete", args=[root.pk]), {"post": "yes"})
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [str(root.pk)], "post": "yes"},
    )

    assert page.status_code in (302, 403, 404)
    assert django_user_model.objects.filter(pk=root.pk).exists()


def test_superuser_may_grant_superuser_and_administrator(client, django_user_model):
    """Above every role, the superuser grants anything."""
    root = django_user_model.objects.create_superuser("root", password=None)
    target = _user(django_user_model, "promoted")
    client.force_login(root)

    response = client.post(
        reverse("admin:auth_user_change", args=[target.pk]),
        _change_data(
            target, is_superuser="on", is_staff="on", groups=[str(_role(ADMINISTRATOR).pk)]
        ),
    )

    target.refresh_from_db()
    assert response.status_code == 302
    assert target.is_superuser and target.is_staff
    assert target.groups.get().name == ADMINISTRATOR
