from django.urls import path

from rdec.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.kpi_list, name="kpi-list"),
    path("publish/", views.publish_ranking, name="publish-ranking"),
    path("reports/<int:pk>/received/", views.report_received, name="report-received"),
    path("agencies/<str:code>/", views.agency_detail, name="agency-detail"),
    path("upload/", views.upload, name="upload"),
    path("half-year/", views.half_year, name="half-year"),
    path("half-year/report.<str:fmt>", views.half_year_file, name="half-year-file"),
    path("site-checks/", views.site_checks_select, name="site-checks-select"),
    path("site-checks/<int:pk>/checked/", views.site_check_done, name="site-check-done"),
    path("rules/", views.rule_list, name="rule-list"),
]
