from rdec.programs.views import urlpatterns

app_name = "programs"

__all__ = ["app_name", "urlpatterns"]
