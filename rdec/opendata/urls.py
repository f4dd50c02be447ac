from django.urls import path

from rdec.opendata import views
from rdec.opendata.api import ckan

app_name = "opendata"

urlpatterns = [
    path("", views.dataset_list, name="dataset-list"),
    path("new/", views.dataset_create, name="dataset-create"),
    path("datasets/<str:name>/", views.dataset_detail, name="dataset-detail"),
    path("datasets/<str:name>/edit/", views.dataset_edit, name="dataset-edit"),
    path("datasets/<str:name>/delete/", views.dataset_delete, name="dataset-delete"),
    path("datasets/<str:name>/resources/new/", views.resource_create, name="resource-create"),
    path("datasets/<str:name>/sync/", views.dataset_sync, name="dataset-sync"),
    path("portal/", views.portal_status, name="portal-status"),
    path("quality/", views.quality_dashboard, name="quality-dashboard"),
    path("datasets/<str:name>/comments/", views.dataset_comment, name="dataset-comment"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/", views.request_create, name="request-create"),
    path("feedback/", views.feedback_inbox, name="feedback-inbox"),
    path("feedback/stats/", views.feedback_stats, name="feedback-stats"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback-detail"),
    path("resources/<int:pk>/download/", views.resource_download, name="resource-download"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource-edit"),
    path("resources/<int:pk>/check/", views.resource_check, name="resource-check"),
    # DCAT-AP and the national portal's downloads (also mountable at the site root: dcat_urls.py)
    path("catalog.<str:fmt>", views.catalog_rdf_or_404, name="catalog-rdf"),
    path("dataset/<str:key>.<str:fmt>", views.dataset_rdf_or_404, name="dataset-rdf"),
    path("downloads/catalog.<str:fmt>", views.catalog_download_or_404, name="catalog-download"),
    path("downloads/changes.<str:fmt>", views.changes_download_or_404, name="changes-download"),
    # The CKAN Action API under this module's address: a CKAN client's site URL is http://host/opendata
    path("api/action/<str:action>", ckan.action, name="ckan-action"),
    path("api/3/action/<str:action>", ckan.action, name="ckan-action-3"),
]
