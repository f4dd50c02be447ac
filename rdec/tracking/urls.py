from django.urls import path

from rdec.tracking import views

app_name = "tracking"

urlpatterns = [
    path("", views.home, name="home"),
    path("board/", views.board, name="board"),
    path("todo/", views.todo, name="todo"),
    path("items/", views.item_list, name="item-list"),
    path("items/export.xlsx", views.item_export, name="item-export"),
    path("items/new/", views.item_create, name="item-create"),
    path("items/<str:number>/", views.item_detail, name="item-detail"),
    path("items/<str:number>/report/", views.item_report, name="item-report"),
    path("items/<str:number>/reports/<int:pk>/review/", views.item_review, name="item-review"),
    path(
        "items/<str:number>/reports/<int:pk>/attachment/", views.report_attachment, name="report-attachment"
    ),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/export.xlsx", views.meeting_export, name="meeting-export"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/resolutions/", views.meeting_resolution, name="meeting-resolution"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path("public/meetings/", views.public_meeting_list, name="public-meeting-list"),
    path("public/meetings/<int:pk>/", views.public_meeting, name="public-meeting"),
    path("council/", views.council_list, name="council-list"),
    path("council/<int:pk>/", views.council_detail, name="council-detail"),
    path("council/<int:pk>/texts/<str:number>/", views.council_text, name="council-text"),
    path("council/<int:pk>/report.<str:fmt>", views.council_report, name="council-report"),
    path("council/<int:pk>/issue/", views.council_report_issue, name="council-report-issue"),
    path(
        "council/<int:pk>/issued/<int:issue>.<str:fmt>",
        views.council_report_issued,
        name="council-report-issued",
    ),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
]
