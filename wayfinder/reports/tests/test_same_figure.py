"""One figure, four doors: the page, the API, CSV and XLSX show the same published value."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from wayfinder.reports.tests.factories import persons

pytestmark = pytest.mark.django_db


@pytest.fixture
def population(personas):
    lead = personas.survivor.owner_agency
    persons(lead, 14, gender_identity="woman", birth_year=1990, trafficking_form="labour")
    persons(lead, 3, gender_identity="man", birth_year=2012, trafficking_form="sex")
    return lead


def test_total_and_a_suppressed_cell_agree_everywhere(personas, web, api_as, population):
    analyst = web(personas.analyst)
    html = analyst.get("/reports/", {"dim_persons_new": "gender"}).content.decode()
    page_total = re.search(r'data-figure="persons_new-total">([^<]+)<', html).group(1)

    api = api_as(personas.analyst).get(
        "/api/v1/reports/measures/persons_new/", {"dimension": "gender"}
    )
    assert api.status_code == 200, api.content
    grid = api.json()["grid"]
    rows = api.json()["rows"]

    export = analyst.get("/reports/export/persons_new.csv", {"dim_persons_new": "gender"})
    lines = list(csv.reader(io.StringIO(export.content.decode())))
    xlsx = analyst.get("/reports/export/persons_new.xlsx", {"dim_persons_new": "gender"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]

    # 18 persons: the survivor persona plus 17 (the survivor's gender is "woman" too)
    assert page_total == grid[-1][-1]["display"] == lines[-1][-1] == str(cells[-1][-1]) == "18"
    men = rows.index("Man")
    assert grid[men][0]["display"] == "<11"
    csv_men = next(line for line in lines if line and line[0] == "Man")
    xlsx_men = next(row for row in cells if row and row[0] == "Man")
    assert csv_men[1] == xlsx_men[1] == "<11"
    assert '<td data-status="small">&lt;11</td>' in html
