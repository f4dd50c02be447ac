"""The CKAN Action API at the site root, where CKAN clients look by default (`/api/action/` is the
path ckanapi uses, `/api/3/action/` the versioned one). To serve it there, rdec/urls.py includes
this module before the platform's own API: `path("api/", include("rdec.opendata.api.ckan_urls"))`.
The same views always answer under this module's address too (/opendata/api/3/action/)."""

from django.urls import path

from rdec.opendata.api import ckan

urlpatterns = [
    path("action/<str:action>", ckan.action, name="ckan-action-root"),
    path("3/action/<str:action>", ckan.action, name="ckan-action-root-3"),
]
