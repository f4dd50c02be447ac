from rdec.programs.views import urlpatterns
from rdec.programs.views_revitalisation import urlpatterns as revitalisation_urlpatterns

app_name = "programs"

__all__ = ["app_name", "urlpatterns"]
urlpatterns = urlpatterns + revitalisation_urlpatterns
