from django.urls import path

from rdec.dashboard import views

app_name = "dashboard"

NAME = "<str:name>"

urlpatterns = [
    path("", views.home, name="home"),
    path("public/", views.public, name="public"),
    path("pin/", views.pin, name="pin"),
    path("reset/", views.reset, name="reset"),
    path(f"components/{NAME}/", views.component, name="component"),
    path(f"components/{NAME}/remove/", views.remove, name="remove"),
    path(f"components/{NAME}/move/", views.move, name="move"),
]
