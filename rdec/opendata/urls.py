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
    path("resources/<int:pk>/download/", views.resource_download, name="resource-download"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource-edit"),
    path("resources/<int:pk>/check/", views.resource_check, name="resource-check"),
    # The CKAN Action API under this module's address: a CKAN client's site URL is http://host/opendata
    path("api/action/<str:action>", ckan.action, name="ckan-action"),
    path("api/3/action/<str:action>", ckan.action, name="ckan-action-3"),
]
