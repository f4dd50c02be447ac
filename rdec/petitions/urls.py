from django.urls import path

from rdec.petitions import views

app_name = "petitions"

urlpatterns = [
    path("file/", views.case_file, name="file"),
    path("file/done/", views.case_file_done, name="file-done"),
    path("mine/", views.my_cases, name="mine"),
    path("track/", views.track, name="track"),
    path("track/<str:token>/", views.track_link, name="track-link"),
    path("rate/<str:token>/", views.rate, name="rate"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/assign/", views.inbox_assign, name="inbox-assign"),
    path("inbox/export.csv", views.inbox_export, name="inbox-export"),
    path("cases/<str:number>/", views.case_detail, name="case"),
    path("cases/<str:number>/attachments/<int:pk>/", views.case_attachment, name="case-attachment"),
    path("cases/<str:number>/start/", views.case_start, name="case-start"),
    path("cases/<str:number>/acknowledge/", views.case_acknowledge, name="case-acknowledge"),
    path("cases/<str:number>/transfer/", views.case_transfer, name="case-transfer"),
    path("cases/<str:number>/reassign/", views.case_reassign, name="case-reassign"),
    path("cases/<str:number>/co-agency/", views.case_co_agency, name="case-co-agency"),
    path("cases/<str:number>/merge/", views.case_merge, name="case-merge"),
    path("cases/<str:number>/extension/", views.case_request_extension, name="case-extension"),
    path(
        "cases/<str:number>/extensions/<int:pk>/decide/",
        views.case_decide_extension,
        name="case-extension-decide",
    ),
    path("cases/<str:number>/reply/", views.case_reply, name="case-reply"),
    path("cases/<str:number>/replies/<int:pk>/decide/", views.case_decide_reply, name="case-reply-decide"),
    path("cases/<str:number>/close/", views.case_close, name="case-close"),
    path("cases/<str:number>/reopen/", views.case_reopen, name="case-reopen"),
    path("cases/<str:number>/withdraw/", views.case_withdraw, name="case-withdraw"),
    path("console/", views.console, name="console"),
    path("console/kb/", views.console_kb, name="console-kb"),
    path("console/caller/", views.console_caller, name="console-caller"),
    path("kb/", views.kb, name="kb"),
    path("kb/new/", views.kb_create, name="kb-create"),
    path("kb/<int:pk>/", views.kb_article, name="kb-article"),
    path("kb/<int:pk>/edit/", views.kb_edit, name="kb-edit"),
    path("kb/<int:pk>/review/", views.kb_review, name="kb-review"),
    path("contacts/", views.duty_contacts, name="contacts"),
    path("contacts/new/", views.duty_contact_edit, name="contact-create"),
    path("contacts/<int:pk>/edit/", views.duty_contact_edit, name="contact-edit"),
]
