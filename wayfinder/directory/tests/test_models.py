import pytest

from wayfinder.core.service_categories import ServiceCategory
from wayfinder.directory.models import Taxonomy, TaxonomyTerm
from wayfinder.directory.taxonomy import (
    FAITH_BASED_TERM_ID,
    GENDERS,
    TAXONOMY_ID,
    TAXONOMY_VERSION,
    Feature,
    category_term_id,
    ensure_wayfinder_taxonomy,
    feature_term_id,
    gender_term_id,
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
    # The faith-based feature and the gender eligibility terms come with the migrations too
    # (they used to be created on first use, so a fresh /hsds/taxonomy_terms lacked them).
    assert TaxonomyTerm.objects.get(pk=FAITH_BASED_TERM_ID).code == "faith_based"
    for gender in GENDERS:
        term = TaxonomyTerm.objects.get(pk=gender_term_id(gender))
        assert term.code == f"gender:{gender}"
        assert term.parent.code == "eligibility"
    assert Taxonomy.objects.get(pk=TAXONOMY_ID).version == TAXONOMY_VERSION == "2"
    count = TaxonomyTerm.objects.count()
    ensure_wayfinder_taxonomy()
    groups = 3  # service_category, service_feature, eligibility
    expected = groups + len(ServiceCategory) + len(Feature) + 1 + len(GENDERS)
    assert TaxonomyTerm.objects.count() == count == expected
