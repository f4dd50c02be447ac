from django.urls import path

from rdec.strategy import views

app_name = "strategy"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("summary/", views.summary, name="summary"),
    path("plans/<str:code>/", views.plan_detail, name="plan"),
    path("plans/<str:code>/targets/<int:pk>/change/", views.target_change, name="target-change"),
    path("report/", views.report, name="report"),
    path("report/<int:window>/targets/<int:pk>/", views.report_submit, name="report-submit"),
    path("windows/", views.windows, name="windows"),
    path("windows/open/", views.window_open, name="window-open"),
    path("windows/<int:pk>/", views.window_detail, name="window"),
    path("windows/<int:pk>/close/", views.window_close, name="window-close"),
    path("windows/<int:pk>/extend/", views.window_extend, name="window-extend"),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("changes/", views.changes, name="changes"),
    path("changes/<int:pk>/decide/", views.change_decide, name="change-decide"),
]

urlpatterns += [
    path("subsidies/", views.subsidies, name="subsidies"),
    path("subsidies/cycles/open/", views.subsidy_cycle_open, name="subsidy-cycle-open"),
    path("subsidies/cycles/<int:year>/propose/", views.subsidy_propose, name="subsidy-propose"),
    path("subsidies/cycles/<int:year>/publish/", views.subsidy_publish, name="subsidy-publish"),
    path("subsidies/public/<int:year>/", views.subsidy_public, name="subsidy-public"),
    path("subsidies/<int:pk>/", views.subsidy_detail, name="subsidy"),
    path("subsidies/<int:pk>/decide/", views.subsidy_decide, name="subsidy-decide"),
    path("subsidies/<int:pk>/schedule/", views.subsidy_schedule, name="subsidy-schedule"),
    path("subsidies/<int:pk>/report/", views.subsidy_report, name="subsidy-report"),
]
