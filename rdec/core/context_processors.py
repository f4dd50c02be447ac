from django.conf import settings

from rdec.core.registry import nav_for


def platform(request):
    user = getattr(request, "user", None)
    return {"platform_name": settings.SITE_NAME, "nav_items": nav_for(user) if user is not None else []}
