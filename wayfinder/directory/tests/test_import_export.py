"""HSDS import and export against the official examples, schemas and the ORUK fail fixtures."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wayfinder.audit.models import AuditEvent
from wayfinder.directory.actions import export_hsds, import_hsds
from wayfinder.directory.hsds import io as hsds_io
from wayfinder.directory.models import (
    Attribute,
    Contact,
    Language,
    Location,
    Organization,
    Phone,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from wayfinder.directory.tests.helpers import (
    HSDS30,
    ORUK_MOCKS,
    UK,
    clear_directory,
    example_paths,
    import_all_examples,
    import_path,
    schema_errors,
)

pytestmark = pytest.mark.django_db

SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
PHONE_ID = "1554f2e2-a373-45db-a3fa-9fc48a61c15e"


def test_every_official_and_uk_example_imports(external):
    paths = example_paths(external)
    assert len(paths) >= 24  # 13 + 10 JSON files and two CSV folders
    for path in paths:
        result = import_path(path)
        assert result.total_created + result.total_updated + result.total_unchanged > 0, path


def test_service_full_lands_in_every_table(external):
    result = import_path(external / HSDS30 / "examples" / "service_full.json")
    assert result.created["service"] == 1
    service = Service.objects.get(pk=SERVICE_ID)
    assert service.name == "Community Counselling"
    assert service.status == "active"
    assert service.minimum_age == 12
    assert service.last_modified.isoformat().startswith("2023-03-15T10:30:45.123")
    assert service.organization.name == "Example Organization Inc."
    sal = ServiceAtLocation.objects.get(service=service)
    assert sal.location.latitude == 100  # the example's own (out of range) value, kept as is
    # One phone nested under service, location, organization, contact and service_at_location
    # is one row linked to each of them.
    phone = Phone.objects.get(pk=PHONE_ID)
    assert phone.service_id == SERVICE_ID
    assert phone.location_id == sal.location_id
    assert phone.organization_id == service.organization_id
    assert phone.service_at_location_id == sal.id
    assert phone.contact_id is not None
    assert Language.objects.filter(service=service).exists()
    attribute = Attribute.objects.get(link_id=SERVICE_ID)
    assert attribute.taxonomy_term.taxonomy.name == "name"


def test_csv_datapackage_imports_every_table(external):
    result = import_path(external / HSDS30 / "examples" / "csv")
    for table in ("organization", "service", "location", "address", "phone", "schedule"):
        assert result.created.get(table) == 1, table
    # examples/csv/datapackage.json is a git symlink stored as text; it was followed.
    assert not any("datapackage" in w for w in result.warnings)


def test_uk_csv_folder_without_datapackage_uses_the_official_names(external):
    result = import_path(external / UK / "examples" / "csv")
    assert result.created["address"] == 1
    # address.csv / schedule.csv / taxonomy.csv duplicate the official files: reported, not read.
    assert any(w.startswith("address.csv") for w in result.warnings)
    assert Location.objects.get().addresses.get().address_2 == "MyVillage"  # from addresses.csv


def test_second_import_changes_nothing(external):
    path = external / HSDS30 / "examples" / "organization_full.json"
    import_path(path)
    again = import_path(path)
    assert again.total_created == 0
    assert again.total_updated == 0
    assert again.total_unchanged > 10


def test_export_validates_against_the_official_schemas(external):
    import_all_examples(external)
    files = export_hsds("json", actor=None)
    assert set(files) == {
        "organizations.json",
        "services.json",
        "locations.json",
        "taxonomies.json",
        "taxonomy_terms.json",
    }
    services = json.loads(files["services.json"])
    assert any(s["id"] == SERVICE_ID and s.get("service_at_locations") for s in services)
    assert schema_errors(files) == []


def test_import_export_import_changes_nothing(external):
    import_all_examples(external)
    first = export_hsds("json", actor=None)
    first_csv = export_hsds("csv", actor=None)
    result = import_hsds(first, actor=None)
    assert (result.total_created, result.total_updated) == (0, 0)
    result = import_hsds(first_csv, actor=None)
    assert (result.total_created, result.total_updated) == (0, 0)
    assert export_hsds("json", actor=None) == first
    assert export_hsds("csv", actor=None) == first_csv


def test_csv_export_is_complete(external):
    """The CSV export alone rebuilds the same directory (orphan rows included)."""
    import_all_examples(external)
    before = export_hsds("csv", actor=None)
    clear_directory()
    assert Service.objects.count() == 0
    import_hsds(before, actor=None)
    assert export_hsds("csv", actor=None) == before


def test_tabular_json_imports(external):
    result = import_path(external / HSDS30 / "examples" / "tabular.json")
    assert result.created["service"] == 1
    # A number in a text column of a tabular row is kept as text.
    assert Location.objects.get().external_identifier == "10092008082"


# --- rejected input ----------------------------------------------------------------------------

# ORUK validator "Fail" mocks, with the reason each is rejected. The Fail folder also holds
# files identical to the passing (Default) ones, or differing only in paging figures, for
# endpoints the validator does not test negatively; those are checked to import below.
ORUK_FAILS = {
    "service_full.json": ["$.email: 'email-example_com' is not a valid email", "$.url:"],
    "service_list.json": ["$.contents[0]: 'name' is a required property", "$.contents[0].url"],
    "taxonomy_term.json": ["'description' is a required property", "$.term_uri:"],
    "taxonomy_term_list.json": ["is its own parent"],
    "service_at_location_full.json": ["is used for both a location and a service_at_location"],
    "api_details.json": ["HSDS API root document"],
}
ORUK_FAIL_BUT_VALID_DATA = {
    "organization_full.json": "identical to the Default file",
    "organization_list.json": "identical to the 3.0 example list",
    "taxonomy.json": "identical to the Default file",
    "taxonomy_list.json": "identical to the Default file",
    "service_at_location_list.json": "only the paging figures differ (10 pages of 1)",
}


def test_oruk_fail_fixtures_are_rejected_with_path_and_reason(external):
    folder = external / ORUK_MOCKS / "V3.0-UK-Fail"
    names = {p.name for p in folder.glob("*.json")}
    assert names == set(ORUK_FAILS) | set(ORUK_FAIL_BUT_VALID_DATA)
    for name, expected in ORUK_FAILS.items():
        with pytest.raises(hsds_io.HsdsImportError) as caught:
            import_path(folder / name)
        text = "\n".join(str(e) for e in caught.value.errors)
        assert all(str(e).startswith(name) for e in caught.value.errors), text
        for fragment in expected:
            assert fragment in text, (name, text)
    assert Service.objects.count() == 0


def test_oruk_fail_folder_files_without_a_data_fault_import(external):
    folder = external / ORUK_MOCKS / "V3.0-UK-Fail"
    for name in ORUK_FAIL_BUT_VALID_DATA:
        import_path(folder / name)


def test_nothing_is_half_imported():
    good = {"id": "svc-1", "name": "Shelter", "status": "active"}
    bad = {"id": "svc-2", "name": "Broken", "status": "open"}
    with pytest.raises(hsds_io.HsdsImportError) as caught:
        import_hsds({"services.json": json.dumps([good, bad]).encode()}, actor=None)
    assert [str(e) for e in caught.value.errors] == [
        "services.json $[1].status: 'open' is not one of "
        "['active', 'inactive', 'defunct', 'temporarily closed']"
    ]
    assert not Service.objects.filter(pk__in=["svc-1", "svc-2"]).exists()


def test_a_failure_while_writing_rolls_everything_back(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("wayfinder.directory.actions.reindex_services", explode)
    with pytest.raises(RuntimeError):
        import_hsds(
            {"service.json": json.dumps({"id": "s", "name": "S", "status": "active"}).encode()},
            actor=None,
        )
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"x.json": b"{not json"}, "x.json: not valid JSON"),
        ({"x.json": b'"text"'}, "x.json: expected a JSON object, a list of objects or a Page"),
        ({"x.json": b'{"foo": 1}'}, "x.json $: cannot tell which HSDS object this is"),
        ({"services.json": b"[1]"}, "services.json $[0]: expected an object"),
        (
            {
                "services.json": json.dumps(
                    [{"id": "x" * 300, "name": "n", "status": "active"}]
                ).encode()
            },
            "services.json $[0]: id: longer than 250 characters",
        ),
        (
            {
                "services.json": json.dumps(
                    [{"id": "a", "name": "n", "status": "active", "last_modified": "yesterday"}]
                ).encode()
            },
            "last_modified: 'yesterday' is not a date-time",
        ),
        (
            {"services.csv": b"id,name,status,minimum_age\ns1,Shelter,active,twelve\n"},
            "services.csv line 2, minimum_age: 'twelve' is not a number",
        ),
        (
            {"services.csv": b"id,name,status\ns1,,active\n"},
            "services.csv line 2, row: 'name' is a required property",
        ),
        ({"empty.json": b"[]"}, "no HSDS records found"),
        ({"upload.zip": b"PK-not-a-zip"}, None),
    ],
)
def test_bad_files_are_rejected_with_a_clear_message(files, expected):
    if expected is None:
        with pytest.raises(hsds_io.HsdsImportError) as caught:
            hsds_io.read_zip(files["upload.zip"], name="upload.zip")
        assert str(caught.value.errors[0]) == "upload.zip: not a valid ZIP file"
        return
    with pytest.raises(hsds_io.HsdsImportError) as caught:
        import_hsds(files, actor=None)
    text = "\n".join(str(e) for e in caught.value.errors)
    assert expected in text


def test_zip_upload_of_a_csv_folder(external):
    folder = external / HSDS30 / "examples" / "csv"
    files = hsds_io.read_path(folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in files.items():
            z.writestr(f"hsds/{name}", data)
    result = import_hsds(hsds_io.read_zip(buffer.getvalue()), actor=None)
    assert result.created["service"] == 1


def test_unknown_fields_and_dangling_links_are_warnings(external):
    result = import_path(external / UK / "examples" / "taxonomy_term.json")
    assert "field 'term' is not part of HSDS 3.0 taxonomy_term; ignored" in result.warnings
    assert any("parent_id '0bc248fa" in w and "no such taxonomy_term" in w for w in result.warnings)
    term = TaxonomyTerm.objects.get(pk="3f7b145d-84af-42d7-8fae-eaca714b02b2")
    assert term.parent_id == "0bc248fa-dc27-4650-9ba4-8f1a24ef16a2"  # kept


def test_import_and_export_are_audited(external):
    import_path(external / HSDS30 / "examples" / "service_full.json")
    export_hsds("csv", actor=None)
    events = list(AuditEvent.objects.filter(category="directory").order_by("seq"))
    assert [e.action for e in events] == ["directory.import", "directory.export"]
    assert events[0].detail["created"]["service"] == 1
    assert events[0].via == "command"
    assert events[1].detail == {"format": "csv", "files": 22}


def test_commands(external, tmp_path, capsys):
    call_command("import_hsds", str(external / HSDS30 / "examples" / "csv"))
    assert "created" in capsys.readouterr().out
    call_command("export_hsds", str(tmp_path / "json"), format="json")
    call_command("export_hsds", str(tmp_path / "csv.zip"), format="csv")
    assert json.loads((tmp_path / "json" / "services.json").read_text())[0]["id"] == SERVICE_ID
    assert "services.csv" in zipfile.ZipFile(tmp_path / "csv.zip").namelist()
    call_command("import_hsds", str(tmp_path / "json"))
    assert "0 created, 0 updated" in capsys.readouterr().out
    call_command("import_hsds", str(external / HSDS30 / "examples" / "csv"), dry_run=True)
    assert "Valid HSDS" in capsys.readouterr().out
    bad = external / ORUK_MOCKS / "V3.0-UK-Fail" / "service_full.json"
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_hsds", str(bad))
    assert "not a valid email" in capsys.readouterr().err
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_hsds", str(tmp_path / "missing.json"))
    assert "no such file or folder" in capsys.readouterr().err


def test_organization_and_contact_links(external):
    import_path(external / HSDS30 / "examples" / "organization_full.json")
    org = Organization.objects.get(pk="d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610")
    assert org.services.count() == 1
    assert org.programs.count() == 1
    assert Contact.objects.filter(organization=org).exists()
    assert org.agency is None  # not on Wayfinder


def test_an_import_never_changes_the_wayfinder_taxonomy():
    from wayfinder.directory.taxonomy import category_term_id

    term_id = category_term_id("emergency_shelter")
    renamed = {"id": term_id, "name": "Spa days", "description": "Not a shelter"}
    attribute = {"id": "attr-1", "taxonomy_term_id": term_id}
    service = {"id": "svc-1", "name": "Shelter", "status": "active", "attributes": [attribute]}
    result = import_hsds(
        {
            "taxonomy_terms.json": json.dumps([renamed]).encode(),
            "services.json": json.dumps([service]).encode(),
        },
        actor=None,
    )
    assert TaxonomyTerm.objects.get(pk=term_id).name == "Emergency shelter"
    assert any("Wayfinder taxonomy is maintained by Wayfinder" in w for w in result.warnings)
    # Attributes that use the Wayfinder terms are imported, and reach the match index.
    from wayfinder.directory.models import ServiceCategoryIndex

    assert Attribute.objects.get(pk="attr-1").link_id == "svc-1"
    assert ServiceCategoryIndex.objects.filter(
        service_id="svc-1", category="emergency_shelter"
    ).exists()


def test_hsds_31_dev_examples_import_with_their_additions_reported(external):
    """Forward compatibility: 3.1 fields are not 3.0 HSDS; they are named, not silently lost."""
    folder = external / "openreferral-specification-hsds-3.1-dev" / "examples"
    result = import_path(folder / "service_full.json")
    assert result.created["service"] == 1
    for field in ("capacities", "additional_urls", "label"):
        assert any(f"field '{field}'" in w for w in result.warnings), field
    result = import_path(folder / "csv")
    assert any(w.startswith("service_capacity.csv") for w in result.warnings)
