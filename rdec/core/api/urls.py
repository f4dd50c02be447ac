"""One router for the whole platform: every module's viewsets are mounted here under /api/v1/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from rdec.core.api import views
from rdec.core.registry import module_apps, optional_module

router = DefaultRouter()

# Each module adds its own viewsets: `rdec.<app>.api.urls.register(router)` (core names no module).
# Modules come first: URLs are tried in order, and petitions' queued intake is the busiest route.
for app in module_apps():
    if optional_module(f"{app}.api") is None:
        continue
    api_urls = optional_module(f"{app}.api.urls")
    register = getattr(api_urls, "register", None)
    if callable(register):
        register(router)

router.register("districts", views.DistrictViewSet, basename="district")
router.register("villages", views.VillageViewSet, basename="village")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("audit-entries", views.AuditEntryViewSet, basename="audit-entry")

v1 = [
    path("calendar/add-working-days/", views.add_working_days, name="calendar-add-working-days"),
    path("calendar/working-days-between/", views.working_days_between, name="calendar-working-days-between"),
    path("calendar/days/", views.calendar_days, name="calendar-days"),
    path("me/", views.me, name="me"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view serves Swagger UI's set-up as a script file (?script): no inline script (CSP)
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
