"""DCAT at the site root, where ckanext-dcat serves it (`/catalog.ttl`, `/catalog.jsonld`,
`/dataset/{id}.ttl`): include this module at "" in rdec/urls.py (a lead's edit, see docs/opendata.md).
The same views answer under /opendata/ without it."""

from django.urls import path

from rdec.opendata import views

urlpatterns = [
    path("catalog.<str:fmt>", views.catalog_rdf_or_404, name="opendata-catalog-rdf"),
    path("dataset/<str:key>.<str:fmt>", views.dataset_rdf_or_404, name="opendata-dataset-rdf"),
]
