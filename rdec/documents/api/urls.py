"""The document-timeliness viewsets on the platform's one router (/api/v1/)."""

from rdec.documents.api import views


def register(router) -> None:
    router.register("documents/kpis", views.DocumentKpiViewSet, basename="documents-kpis")
