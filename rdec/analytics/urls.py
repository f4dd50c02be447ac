from django.urls import path

from rdec.analytics import dashboard_views, views

app_name = "analytics"

urlpatterns = [
    path("route-hint/", views.route_hint, name="route-hint"),
    path("router/", views.router_page, name="router"),
    path("cases/<str:number>/similar/", views.similar_fragment, name="similar-cases"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/progress/", views.report_progress, name="report-progress"),
    path("reports/<int:pk>/dimension/", views.report_dimension, name="report-dimension"),
    path("reports/<int:pk>/file/<str:fmt>/", views.report_file, name="report-file"),
    path("dashboard/", dashboard_views.overview, name="dashboard"),
    path("dashboard/figures/", dashboard_views.overview_figures, name="dashboard-figures"),
    path("hotspots/", dashboard_views.hotspot_map, name="hotspot-map"),
    path("hotspots/week/", dashboard_views.hotspot_week, name="hotspot-week"),
    path("topics/", dashboard_views.topics_page, name="topics"),
]
