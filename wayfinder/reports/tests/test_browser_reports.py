"""In a browser: the analyst opens the dashboard, changes a breakdown, downloads CSV and XLSX,
and runs and saves the TIMS snapshot (axe on every page)."""

import re

import pytest
from django.core.management import call_command

from conftest import assert_accessible
from wayfinder.core.testing import PASSWORD, make_personas
from wayfinder.reports.tests.factories import persons


@pytest.fixture
def seeded(transactional_db, mfa_off):
    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    lead = personas.survivor.owner_agency
    persons(lead, 14, gender_identity="woman", birth_year=1990, trafficking_form="labour")
    persons(lead, 4, gender_identity="man", birth_year=1985, trafficking_form="sex")
    return personas


def test_analyst_dashboard_exports_and_tims(page, seeded):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", seeded.analyst.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(r"/$"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.wait_for_selector("h1:text-is('Outcomes and reports')")
    assert_accessible(page)
    assert page.locator('dd[data-figure="persons_new"]').inner_text() == "19"

    page.get_by_role("combobox", name="New persons").select_option("gender")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"dim_persons_new=gender"))
    table = page.get_by_role("region", name="New persons")
    assert "Man" in table.inner_text() and "<11" in table.inner_text()
    assert_accessible(page)

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="New persons as CSV").click()
    csv_text = csv_download.value.path().read_text(encoding="utf-8")
    assert "Man,<11" in csv_text.replace('"', "")
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="New persons as XLSX").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("link", name="OVC TIMS-style quarterly snapshot").click()
    page.wait_for_selector("h1:text-is('OVC TIMS-style quarterly snapshot')")
    assert_accessible(page)
    page.get_by_role("button", name="Save this run").click()
    page.wait_for_url(re.compile(r"/reports/runs/"))
    page.wait_for_selector("text=definition version 1")
    assert_accessible(page)
