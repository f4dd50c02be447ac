from rdec.transparency.views import documents, manage, ocds, registers

app_name = "transparency"

urlpatterns = [
    *registers.urlpatterns,
    *manage.urlpatterns,
    *documents.urlpatterns,
    *ocds.urlpatterns,
]
