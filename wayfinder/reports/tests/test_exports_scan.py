"""No export carries a name, a pseudonym or a date of birth of any person."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from wayfinder.people.models import Person
from wayfinder.people.sealing import identity_of
from wayfinder.reports import measures as m

pytestmark = pytest.mark.django_db


def _tokens() -> set[str]:
    out: set[str] = set()
    for person in Person.objects.all():
        out.add(person.pseudonym)
        identity = identity_of(person) if person.identity_ct else None
        if identity:
            for name in (identity.chosen_name, identity.legal_name, *identity.aliases):
                out.update(part for part in name.split() if len(part) > 2)
            if identity.date_of_birth:
                out.add(identity.date_of_birth.isoformat())
                out.add(identity.date_of_birth.strftime("%m/%d/%Y"))
    return out


def test_every_export_is_free_of_identities(personas, web, settings):
    client = web(personas.analyst)
    tokens = _tokens()
    assert "Rivera" in tokens and "1996-04-12" in tokens
    params = {"start": date(2020, 1, 1).isoformat()}
    for measure in m.MEASURES:
        for fmt in ("csv", "xlsx"):
            response = client.get(f"/reports/export/{measure.name}.{fmt}", params)
            assert response.status_code == 200
            if fmt == "csv":
                text = response.content.decode()
            else:
                book = load_workbook(io.BytesIO(response.content))
                text = "\n".join(
                    str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row
                )
            found = [t for t in tokens if t.lower() in text.lower()]
            assert found == [], (measure.name, fmt, found)
