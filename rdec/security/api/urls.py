"""The 資訊安全 API under /api/v1/security/ (mounted by rdec.core.api.urls)."""

from rdec.security.api.views import AssetViewSet


def register(router) -> None:
    router.register("security/assets", AssetViewSet, basename="security-asset")
