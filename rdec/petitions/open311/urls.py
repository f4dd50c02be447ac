"""Open311 GeoReport v2 at /open311/v2/ (mounted in rdec/urls.py)."""

app_name = "open311"
urlpatterns: list = []
