from django.urls import path

from rdec.petitions import views

app_name = "petitions"

urlpatterns = [
    path("file/", views.file_placeholder, name="file"),
]
