import uuid

import pytest

from wayfinder.accounts.models import Agency

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds():
    agencies = [Agency.objects.create(name=f"Agency {n}") for n in range(3)]
    wanted = {agencies[0].pk, agencies[2].pk, uuid.uuid4()}  # one id of no agency
    for ids in (wanted, list(wanted), set(), {agencies[1].pk}):
        expected = set(Agency.objects.filter(pk__in=ids).values_list("pk", flat=True))
        found = set(Agency.objects.filter(pk__any_of=ids).values_list("pk", flat=True))
        assert found == expected
        assert Agency.objects.filter(pk__any_of=ids).count() == len(expected)
        assert Agency.objects.exclude(pk__any_of=ids).count() == 3 - len(expected)
