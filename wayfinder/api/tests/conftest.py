"""Helpers for API tests (the token and client fixtures are in the root conftest.py)."""


def person_url(person_or_id=None) -> str:
    if person_or_id is None:
        return "/api/v1/persons/"
    pk = getattr(person_or_id, "pk", person_or_id)
    return f"/api/v1/persons/{pk}"
