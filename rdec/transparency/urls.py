from rdec.transparency.views import documents, manage, manage_registers, ocds, registers

app_name = "transparency"

urlpatterns = [
    *registers.urlpatterns,
    *manage.urlpatterns,
    *manage_registers.urlpatterns,
    *documents.urlpatterns,
    *ocds.urlpatterns,
]
