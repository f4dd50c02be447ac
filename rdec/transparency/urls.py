from rdec.transparency.views import documents, ocds, registers

app_name = "transparency"

urlpatterns = [
    *registers.urlpatterns,
    *documents.urlpatterns,
    *ocds.urlpatterns,
]
