"""The product's URLs plus /bench/floor/: a bare Django JSON endpoint (the intake floor), for
bench/petitions_intake.py only."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from rdec.urls import *  # noqa: F403
from rdec.urls import urlpatterns as product_urlpatterns


@csrf_exempt
def floor(request):
    return JsonResponse(
        {"ok": True, "method": request.method}, status=201 if request.method == "POST" else 200
    )


urlpatterns = [path("bench/floor/", floor), *product_urlpatterns]
