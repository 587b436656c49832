"""Refusing the second of two concurrent edits in the admin: every domain model's change form
and inline carries the version its editor saw (`core.models.Versioned`)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format


class VersionedForm(forms.ModelForm):
    """Carries the version the editor saw; refuses the save if the row has moved on since.

    The admin saves inside a transaction, so the row lock taken here holds until the save.
    """

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk or not self.has_changed():
            return cleaned
        model = type(self.instance)
        current = (
            model._default_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        seen = cleaned.get("seen_version")
        if current is not None and current != seen:
            raise ValidationError(self._stale_message(model), code="stale")
        return cleaned

    def _stale_message(self, model) -> str:
        who = "another user"
        when = ""
        history = getattr(model, "history", None)
        if history is not None:
            latest = history.filter(id=self.instance.pk).select_related("history_user").first()
            if latest is not None:
                if latest.history_user:
                    who = latest.history_user.get_username()
                local = timezone.localtime(latest.history_date)
                when = f" at {date_format(local, 'DATETIME_FORMAT')}"
        return (
            f"This {model._meta.verbose_name} was changed by {who}{when}, after you opened it. "
            "Your changes have not been saved. Reload the page to see the current values, "
            "then make your change again."
        )


class VersionedAdminMixin:
    """A change form that refuses a stale save: every domain model's admin uses it."""

    form = VersionedForm

    def get_fields(self, request, obj=None):
        # Declared `fields` would leave out the hidden version, and with it the check; a
        # read-only view has nothing to check.
        fields = [name for name in super().get_fields(request, obj) if name != "seen_version"]
        if obj is None or self.has_change_permission(request, obj):
            fields.append("seen_version")
        return fields


class VersionedInline(admin.TabularInline):
    form = VersionedForm
    extra = 0

    def get_fields(self, request, obj=None):
        # Declared `fields` would leave out the hidden version, and with it the check.
        return [*super().get_fields(request, obj), "seen_version"]
