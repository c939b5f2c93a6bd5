"""The import page (/directory/import/) and export downloads: network admins only."""

import io
import json
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import assert_accessible
from wayfinder.audit.models import AuditEvent
from wayfinder.core.testing import PASSWORD
from wayfinder.directory.models import Service

pytestmark = pytest.mark.django_db

IMPORT_URL = "/directory/import/"
GOOD = [{"id": "svc-1", "name": "Legal clinic", "status": "active"}]
BAD = [{"id": "svc-2", "name": "Clinic", "status": "active", "email": "clinic-at-example"}]


def upload(name: str, data, **extra):
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return {"file": SimpleUploadedFile(name, raw), **extra}


def test_network_admin_sees_the_page(login, personas):
    response = login(personas.network_admin).get(IMPORT_URL)
    assert response.status_code == 200
    assert b"Import into the service directory" in response.content
    assert reverse("directory:import") == IMPORT_URL


@pytest.mark.parametrize("who", ["outsider_c", "navigator_a", "admin_a", "analyst", "lawyer_b"])
def test_others_get_404(login, personas, who):
    client = login(getattr(personas, who))
    assert client.get(IMPORT_URL).status_code == 404
    assert client.post(IMPORT_URL, upload("services.json", GOOD)).status_code == 404
    assert client.get(reverse("directory:export", args=["csv"])).status_code == 404
    assert not Service.objects.filter(pk="svc-1").exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_upload_imports_and_reports(login, personas):
    client = login(personas.network_admin)
    response = client.post(IMPORT_URL, upload("services.json", GOOD))
    assert response.status_code == 200
    assert b"1 created, 0 updated, 0 unchanged" in response.content
    assert Service.objects.get(pk="svc-1").name == "Legal clinic"
    event = AuditEvent.objects.get(action="directory.import")
    assert event.actor_id == personas.network_admin.pk
    assert event.detail["source"] == "services.json"
    again = client.post(IMPORT_URL, upload("services.json", GOOD))
    assert b"0 created, 0 updated, 1 unchanged" in again.content


def test_bad_upload_shows_each_error_and_imports_nothing(login, personas):
    client = login(personas.network_admin)
    response = client.post(IMPORT_URL, upload("services.json", GOOD + BAD))
    assert response.status_code == 422
    text = response.content.decode()
    assert "The file was not imported: 1 problem" in text
    assert "services.json $[1].email" in text
    assert "&#x27;clinic-at-example&#x27; is not a valid email" in text
    assert not Service.objects.exists()


def test_check_only_writes_nothing(login, personas):
    client = login(personas.network_admin)
    response = client.post(IMPORT_URL, upload("services.json", GOOD, check_only="on"))
    assert response.status_code == 200
    assert b"The file is valid HSDS 3.0" in response.content
    assert not Service.objects.exists()


def test_zip_upload(login, personas):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("export/services.csv", "id,name,status\nsvc-9,Food bank,active\n")
    response = login(personas.network_admin).post(
        IMPORT_URL, upload("directory.zip", buffer.getvalue())
    )
    assert response.status_code == 200
    assert Service.objects.get(pk="svc-9").name == "Food bank"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.txt", b"hello", "Upload a .json, .csv or .zip file."),
        ("broken.zip", b"not a zip", "<code>broken.zip</code></td><td>not a valid ZIP file"),
        ("services.json", b"{oops", "<code>services.json</code></td><td>not valid JSON"),
    ],
)
def test_unusable_files(login, personas, name, data, message):
    response = login(personas.network_admin).post(IMPORT_URL, upload(name, data))
    assert response.status_code == 422
    # The file's name and what is wrong with it, in neighbouring cells of the problems table.
    body = re.sub(r"<td [^>]*>", "<td>", response.content.decode())
    assert message in body


def test_upload_size_limit(login, personas, settings):
    settings.WAYFINDER_DIRECTORY_UPLOAD_MAX_BYTES = 10
    response = login(personas.network_admin).post(IMPORT_URL, upload("services.json", GOOD))
    assert response.status_code == 422
    assert b"The file is larger than" in response.content


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_download(login, personas, fmt):
    client = login(personas.network_admin)
    client.post(IMPORT_URL, upload("services.json", GOOD))
    response = client.get(reverse("directory:export", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert ("services.json" if fmt == "json" else "services.csv") in names
    assert AuditEvent.objects.filter(action="directory.export", detail__format=fmt).exists()
    assert client.get(reverse("directory:export", args=["xml"])).status_code == 404


def test_nav_link_only_for_network_admins(login, personas, client):
    assert IMPORT_URL.encode() in login(personas.network_admin).get("/").content
    client.logout()
    assert IMPORT_URL.encode() not in login(personas.navigator_a).get("/").content


def test_import_page_in_a_browser(page, live_server, transactional_db, mfa_off, tmp_path):
    from wayfinder.core.testing import make_personas

    personas = make_personas()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", personas.network_admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    page.goto(IMPORT_URL)
    assert_accessible(page)

    bad = tmp_path / "services.json"
    bad.write_text(json.dumps(GOOD + BAD))
    page.set_input_files("input[name=file]", str(bad))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("#import-errors")
    assert "services.json $[1].email" in page.locator("table").first.inner_text()
    assert_accessible(page)

    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD))
    page.set_input_files("input[name=file]", str(good))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("#import-done")
    assert "1 created" in page.locator("#import-done").locator("..").inner_text()
    assert_accessible(page)
    assert Service.objects.filter(pk="svc-1").exists()
