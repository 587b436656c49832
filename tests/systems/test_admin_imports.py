"""The admin upload page: preview what a file would change, then import it, or see why not."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from systems import admin_imports
from systems.models import Membership, Organisation

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
URL = reverse("admin:systems_organisation_import")


@pytest.fixture(autouse=True)
def _upload_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(admin_imports, "UPLOAD_DIR", tmp_path / "imports")


def _upload(name="gp-reg-pat-prac-map.csv", fixture="gp-reg-pat-prac-map-jan22-sample.csv"):
    return SimpleUploadedFile(name, (FIXTURES / fixture).read_bytes(), "text/csv")


def test_preview_then_import(client, administrator, reference_data):
    client.force_login(administrator)
    preview = client.post(URL, {"file_format": "practice-mapping", "upload": _upload()})
    assert preview.status_code == 200
    assert preview.context["summary"].counts["GP practice"]["created"] == 6
    assert "Nothing has been written yet" in preview.content.decode()
    assert not Organisation.objects.exists()

    form = preview.context["form"]
    response = client.post(
        URL,
        {
            "file_format": "practice-mapping",
            "token": form.initial["token"],
            "filename": form.initial["filename"],
            "confirm": "Import",
        },
        follow=True,
    )
    assert Organisation.objects.filter(kind="gp_practice").count() == 6
    assert Membership.objects.count() == 15
    assert "Imported gp-reg-pat-prac-map.csv" in response.content.decode()
    practice_history = Organisation.objects.get(ods_code="A81001").history.first()
    assert practice_history.history_user == administrator
    assert not list((admin_imports.UPLOAD_DIR).iterdir())


def test_rows_with_problems_are_listed_and_nothing_written(client, administrator, reference_data):
    client.force_login(administrator)
    response = client.post(
        URL,
        {
            "file_format": "ods-trusts",
            "as_at": "2020-10-01",
            "upload": _upload("etr.csv", "etr-sample.csv"),
        },
    )
    html = response.content.decode()
    assert "was not imported: 0 rows with errors, 2 skippable" in html
    assert "PUBLIC HEALTH WALES NHS TRUST is a Welsh organisation" in html
    assert not Organisation.objects.exists()

    form = response.context["form"]
    preview = client.post(
        URL,
        {
            "file_format": "ods-trusts",
            "as_at": "2020-10-01",
            "skip_skippable": "on",
            "token": form.initial["token"],
            "filename": "etr.csv",
        },
    )
    assert preview.context["summary"].counts["NHS trust (type not recorded)"]["created"] == 5
    assert len(preview.context["summary"].skipped) == 2


def test_file_that_is_not_csv_is_refused(client, administrator, reference_data):
    client.force_login(administrator)
    junk = SimpleUploadedFile("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "text/csv")
    response = client.post(URL, {"file_format": "practice-mapping", "upload": junk})
    assert "This is not a CSV file" in response.content.decode()
    assert not Organisation.objects.exists()


def test_only_administrators_may_import(client, designation_editor, administrator):
    client.force_login(designation_editor)
    assert client.get(URL).status_code == 403
    changelist = client.get(reverse("admin:systems_organisation_changelist")).content.decode()
    assert "Import a reference file" not in changelist
    client.force_login(administrator)
    assert client.get(URL).status_code == 200
    changelist = client.get(reverse("admin:systems_organisation_changelist")).content.decode()
    assert "Import a reference file" in changelist
