from django.urls import path

from rdec.tenders import inspection_views as iv
from rdec.tenders import views

app_name = "tenders"

urlpatterns = [
    path("", views.tender_list, name="tender-list"),
    path("new/", views.tender_create, name="tender-create"),
    path("upload/", views.progress_upload, name="progress-upload"),
    path("template.xlsx", views.progress_template, name="progress-template"),
    path("control-report/", views.control_report, name="control-report"),
    path("control-report/meeting/", views.control_meeting, name="control-meeting"),
    path("control-report/report.<str:fmt>", views.control_report_file, name="control-report-file"),
    path("rules/", views.rule_list, name="rule-list"),
    path("inspections/", iv.inspection_list, name="inspection-list"),
    path("inspections/new/", iv.inspection_create, name="inspection-create"),
    path("inspections/coverage/", iv.inspection_coverage, name="inspection-coverage"),
    path("inspections/statistics/", iv.inspection_statistics, name="inspection-statistics"),
    path(
        "inspections/statistics.<str:fmt>", iv.inspection_statistics_file, name="inspection-statistics-file"
    ),
    path("inspections/rules/", iv.inspection_rule_list, name="inspection-rule-list"),
    path("inspections/<int:pk>/", iv.inspection_detail, name="inspection-detail"),
    path(
        "inspections/<int:pk>/improvements/<int:report_pk>/",
        iv.inspection_improvement,
        name="inspection-improvement",
    ),
    path("inspections/<int:pk>/consequences/", iv.inspection_consequence, name="inspection-consequence"),
    path("inspections/<int:pk>/photos/", iv.inspection_photo_add, name="inspection-photo-add"),
    path("inspections/<int:pk>/photos/<int:photo_pk>/", iv.inspection_photo, name="inspection-photo"),
    path("<str:number>/", views.tender_detail, name="tender-detail"),
    path("<str:number>/progress/", views.tender_progress, name="tender-progress"),
    path("<str:number>/edit/", views.tender_edit, name="tender-edit"),
    path("<str:number>/change-orders/", views.tender_change_order, name="tender-change-order"),
    path("<str:number>/extensions/", views.tender_extension, name="tender-extension"),
]
