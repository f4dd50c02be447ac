from rdec.programs.views import urlpatterns

app_name = "programs"

__all__ = ["app_name", "urlpatterns"]

from rdec.programs.views_research import urlpatterns as research_urlpatterns  # noqa: E402

urlpatterns = urlpatterns + research_urlpatterns
