from rdec.participation.views import consultations, conversations, following, proposals

app_name = "participation"

urlpatterns = [
    *proposals.urlpatterns,
    *consultations.urlpatterns,
    *conversations.urlpatterns,
    *following.urlpatterns,
]
