from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from rdec.core import account_views, privacy_views, styleguide, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("core:password-change-done")),
        name="password-change",
    ),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password-change-done"),
    *account_views.urlpatterns,
    path("agencies/", views.agency_list, name="agency-list"),
    path("districts/", views.district_list, name="district-list"),
    path("districts/resolve/", views.district_resolve, name="district-resolve"),
    path("districts/<str:code>/", views.district_detail, name="district-detail"),
    path("calendar/", views.office_calendar, name="calendar"),
    path("privacy/", privacy_views.privacy_notice, name="privacy"),
    path("styleguide/", styleguide.styleguide, name="styleguide"),
    path("rules/", views.rule_set_list, name="rule-set-list"),
    path("audit/", views.audit_list, name="audit-list"),
    path("audit/<int:pk>/", views.audit_detail, name="audit-detail"),
]
