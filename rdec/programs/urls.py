from rdec.programs.views import urlpatterns as engine_urlpatterns
from rdec.programs.views_innovation import urlpatterns as innovation_urlpatterns
from rdec.programs.views_research import urlpatterns as research_urlpatterns
from rdec.programs.views_review import urlpatterns as review_urlpatterns
from rdec.programs.views_revitalisation import urlpatterns as revitalisation_urlpatterns

app_name = "programs"

__all__ = ["app_name", "urlpatterns"]
urlpatterns = engine_urlpatterns + innovation_urlpatterns + revitalisation_urlpatterns + research_urlpatterns
urlpatterns += review_urlpatterns
