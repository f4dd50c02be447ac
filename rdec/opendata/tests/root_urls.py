"""The platform's URLs with the CKAN Action API mounted at the site root, as docs/opendata.md asks."""

from django.urls import include, path

from rdec.urls import handler400, handler403, handler404, handler500  # noqa: F401
from rdec.urls import urlpatterns as platform

urlpatterns = [path("api/", include("rdec.opendata.api.ckan_urls")), *platform]
