"""The tenders viewsets on the platform's one router (/api/v1/), called by rdec.core.api.urls. The
control report is registered first so that its path is not read as a tender number."""

from rdec.tenders.api import views


def register(router) -> None:
    router.register("tenders/control-report", views.ControlReportViewSet, basename="tenders-control-report")
    router.register("tenders/inspections", views.InspectionViewSet, basename="tenders-inspection")
    router.register("tenders", views.TenderViewSet, basename="tender")
