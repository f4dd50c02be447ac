from rdec.programs.views import urlpatterns
from rdec.programs.views_innovation import urlpatterns as innovation_urlpatterns

app_name = "programs"

__all__ = ["app_name", "urlpatterns"]
urlpatterns = urlpatterns + innovation_urlpatterns
