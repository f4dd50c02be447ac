from django.urls import path

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
    path("<str:number>/", views.tender_detail, name="tender-detail"),
    path("<str:number>/progress/", views.tender_progress, name="tender-progress"),
    path("<str:number>/edit/", views.tender_edit, name="tender-edit"),
    path("<str:number>/change-orders/", views.tender_change_order, name="tender-change-order"),
    path("<str:number>/extensions/", views.tender_extension, name="tender-extension"),
]
