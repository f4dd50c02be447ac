from django.urls import path

from rdec.analytics import views

app_name = "analytics"

urlpatterns = [
    path("route-hint/", views.route_hint, name="route-hint"),
    path("cases/<str:number>/similar/", views.similar_fragment, name="similar-cases"),
]
