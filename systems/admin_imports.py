"""The admin's door to every importer: upload, preview what would change, then import.

One view serves every format (`UploadFormat`): a model admin offers the upload of the formats in
its `import_formats` through `ImportUploadMixin` (organisations: the reference files; finance's
figures: control totals; performance's observations), and each user sees the formats their
permissions allow.

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
from django.urls import path, reverse

from .importers import MAX_IMPORT_BYTES, ImportHasErrors, ImportRefused, UploadFormat

UPLOAD_DIR = Path(settings.BASE_DIR) / "var" / "imports"
_TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


class ImportForm(forms.Form):
    file_format = forms.ChoiceField(label="Kind of file")
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
    year = forms.CharField(
        label="Financial year",
        required=False,
        max_length=9,
        help_text="The year the figures are for, e.g. 2018-19.",
    )
    skip_skippable = forms.BooleanField(
        label="Skip the rows reported as skippable (Welsh or closed organisations, providers "
        "not in the database)",
        required=False,
    )
    complete_extract = forms.BooleanField(
        label="This is a complete national extract: end the memberships of every organisation "
        "it does not list",
        required=False,
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    filename = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, formats: list[UploadFormat], **kwargs):
        super().__init__(*args, **kwargs)
        self.formats = {f.slug: f for f in formats}
        self.fields["file_format"].choices = [(f.slug, f.label) for f in formats]
        asked = {option for f in formats for option in f.options}
        for option in UploadFormat.OPTIONS:
            if option not in asked:
                del self.fields[option]

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

    def options(self) -> dict:
        """The answers the chosen format's importer takes."""
        chosen = self.formats[self.cleaned_data["file_format"]]
        return {option: self.cleaned_data[option] for option in chosen.options}


def _stash(upload) -> str:
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(16)
    with (UPLOAD_DIR / token).open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return token


def permitted_formats(model_admin, request) -> list[UploadFormat]:
    return [f for f in model_admin.import_formats if request.user.has_perms(f.permissions)]


def import_view(model_admin, request):
    formats = permitted_formats(model_admin, request)
    if not formats:
        raise PermissionDenied
    initial = {"file_format": request.GET["format"]} if "format" in request.GET else None
    form = ImportForm(request.POST or None, request.FILES or None, formats=formats, initial=initial)
    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_import")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": model_admin.import_title,
        "opts": opts,
        "formats": formats,
        "import_url": url,
        "form": form,
        "max_mb": MAX_IMPORT_BYTES // 1024 // 1024,
    }
    template = "admin/import.html"
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, template, context)
    data = form.cleaned_data
    upload = data["upload"]
    token = _stash(upload) if upload is not None else data["token"]
    filename = upload.name if upload is not None else data["filename"]
    stashed = UPLOAD_DIR / token
    if not stashed.is_file():
        form.add_error(None, "The upload has expired: choose the file again.")
        return TemplateResponse(request, template, context)
    confirm = "confirm" in request.POST and upload is None
    again = {**data, "token": token, "filename": filename, "upload": None}
    try:
        parsed, summary = form.formats[data["file_format"]].run(
            stashed.read_bytes(),
            source_note=Path(filename).name,
            dry_run=not confirm,
            user=request.user,
            **form.options(),
        )
    except ImportRefused as error:
        # Refused as it was being written (another import ran meanwhile, or too many
        # memberships would close), the same file can be tried again; a file refused on
        # upload is gone.
        if not confirm:
            stashed.unlink(missing_ok=True)
        form.add_error(None, f"{error} Nothing was written.")
        return TemplateResponse(request, template, context)
    except ImportHasErrors as refused:
        context.update(
            parsed=refused.parsed,
            refused=True,
            filename=filename,
            form=ImportForm(initial=again, formats=formats),
        )
        return TemplateResponse(request, template, context)
    if confirm:
        stashed.unlink(missing_ok=True)
        described = f" ({parsed.as_at:%d %B %Y})" if parsed.as_at else ""
        messages.success(request, f"Imported {filename}{described}: " + "; ".join(summary.lines()))
        return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    context.update(
        parsed=parsed,
        summary=summary,
        preview=True,
        filename=filename,
        form=ImportForm(initial=again, formats=formats),
    )
    return TemplateResponse(request, template, context)


class ImportUploadMixin:
    """Offers the upload of `import_formats` from this model's admin: an "import/" page and a
    link to it above the list, for users allowed to import any of them."""

    import_formats: tuple[UploadFormat, ...] = ()
    import_title = "Import a file"
    change_list_template = "admin/import_change_list.html"

    def get_urls(self):
        opts = self.model._meta
        upload = path(
            "import/",
            self.admin_site.admin_view(lambda request: import_view(self, request)),
            name=f"{opts.app_label}_{opts.model_name}_import",
        )
        return [upload, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        if permitted_formats(self, request):
            opts = self.model._meta
            extra_context = {
                **(extra_context or {}),
                "import_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_import"),
                "import_title": self.import_title,
            }
        return super().changelist_view(request, extra_context)
