import pytest

from wayfinder.core.service_categories import ServiceCategory
from wayfinder.directory.models import Taxonomy, TaxonomyTerm
from wayfinder.directory.taxonomy import (
    TAXONOMY_ID,
    Feature,
    category_term_id,
    ensure_wayfinder_taxonomy,
    feature_term_id,
)

pytestmark = pytest.mark.django_db


def test_wayfinder_taxonomy_is_created_by_migration():
    assert Taxonomy.objects.get(pk=TAXONOMY_ID).name == "Wayfinder"
    for c in ServiceCategory:
        term = TaxonomyTerm.objects.get(pk=category_term_id(c.value))
        assert term.code == c.value
        assert term.taxonomy_id == TAXONOMY_ID
    for f in Feature:
        assert TaxonomyTerm.objects.get(pk=feature_term_id(f.value)).code == f.value
    count = TaxonomyTerm.objects.count()
    ensure_wayfinder_taxonomy()
    assert TaxonomyTerm.objects.count() == count == len(ServiceCategory) + len(Feature) + 2
