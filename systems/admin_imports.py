"""The admin's door to the importers: upload, preview what would change, then import.

The uploaded file is kept in a private folder between the preview and the confirmation, under a
random name the form carries; the import re-reads it, so what is written is exactly what was
previewed (the same bytes, checked again against the data as it is then).
"""

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .importers import FORMATS, MAX_IMPORT_BYTES, ImportHasErrors, ImportRefused, import_file

UPLOAD_DIR = Path(settings.BASE_DIR) / "var" / "imports"
_TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


class ImportForm(forms.Form):
    file_format = forms.ChoiceField(
        label="Kind of file", choices=[(slug, f.label) for slug, f in FORMATS.items()]
    )
    upload = forms.FileField(
        label="File",
        required=False,
        help_text=f"CSV, at most {MAX_IMPORT_BYTES // 1024 // 1024} MB.",
    )
    as_at = forms.DateField(
        label="Date the file describes",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Needed for an ODS trust list; the practice mapping gives its extract date "
        "and ONS lookups the year in their column names.",
    )
    skip_skippable = forms.BooleanField(
        label="Skip the rows reported as skippable (Welsh or closed organisations)",
        required=False,
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    filename = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        token = cleaned.get("token") or ""
        if upload is None and not token:
            raise forms.ValidationError("Choose a file to upload.")
        if upload is not None and upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.0f} MB; files over "
                f"{MAX_IMPORT_BYTES // 1024 // 1024} MB are refused."
            )
        if token and not set(token) <= _TOKEN_CHARS:
            raise forms.ValidationError("The upload has expired: choose the file again.")
        return cleaned


def _stash(upload) -> str:
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(16)
    with (UPLOAD_DIR / token).open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return token


def import_view(model_admin, request):
    if not request.user.has_perm("systems.import_organisation"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import a reference file",
        "opts": model_admin.model._meta,
        "form": form,
        "max_mb": MAX_IMPORT_BYTES // 1024 // 1024,
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["upload"]
        token = _stash(upload) if upload is not None else data["token"]
        filename = upload.name if upload is not None else data["filename"]
        path = UPLOAD_DIR / token
        if not path.is_file():
            form.add_error(None, "The upload has expired: choose the file again.")
            return TemplateResponse(request, "admin/systems/import.html", context)
        confirm = "confirm" in request.POST and upload is None
        try:
            parsed, summary = import_file(
                data["file_format"],
                path.read_bytes(),
                as_at=data["as_at"],
                skip_skippable=data["skip_skippable"],
                dry_run=not confirm,
                user=request.user,
                source_note=Path(filename).name,
            )
        except ImportRefused as error:
            path.unlink(missing_ok=True)
            form.add_error(None, f"{error} Nothing was written.")
            return TemplateResponse(request, "admin/systems/import.html", context)
        except ImportHasErrors as refused:
            context.update(parsed=refused.parsed, refused=True, filename=filename)
            context["form"] = ImportForm(
                initial={**data, "token": token, "filename": filename, "upload": None}
            )
            return TemplateResponse(request, "admin/systems/import.html", context)
        if confirm:
            path.unlink(missing_ok=True)
            messages.success(
                request,
                f"Imported {filename} ({parsed.as_at:%d %B %Y}): " + "; ".join(summary.lines()),
            )
            return redirect(reverse("admin:systems_organisation_changelist"))
        context.update(
            parsed=parsed,
            summary=summary,
            preview=True,
            filename=filename,
            form=ImportForm(initial={**data, "token": token, "filename": filename}),
        )
    return TemplateResponse(request, "admin/systems/import.html", context)
