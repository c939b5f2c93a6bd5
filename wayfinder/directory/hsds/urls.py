"""The public HSDS 3.0 API at /hsds/ (see api.py)."""

from django.urls import path

from wayfinder.directory.hsds import api as hsds_api

app_name = "hsds"

urlpatterns = [
    path("", hsds_api.root, name="root"),
    path("openapi.json", hsds_api.openapi, name="openapi"),
    path("services", hsds_api.services, name="services"),
    path("services/<str:pk>", hsds_api.service_detail, name="service"),
    path("organizations", hsds_api.organizations, name="organizations"),
    path("organizations/<str:pk>", hsds_api.organization_detail, name="organization"),
    path("service_at_locations", hsds_api.service_at_locations, name="service_at_locations"),
    path(
        "service_at_locations/<str:pk>",
        hsds_api.service_at_location_detail,
        name="service_at_location",
    ),
    path("taxonomies", hsds_api.taxonomies, name="taxonomies"),
    path("taxonomies/<str:pk>", hsds_api.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", hsds_api.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<str:pk>", hsds_api.taxonomy_term_detail, name="taxonomy_term"),
]
