from django.conf import settings
from django.templatetags.static import static

from rdec.core.registry import menus_for


def platform(request):
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    return {
        "platform_name": settings.SITE_NAME,
        # the navigation's menus (rdec.core.registry): only entries the user may open
        "nav_menus": menus_for(user, path) if user is not None else [],
        "emblem_url": settings.RDEC_EMBLEM_URL or static("core/emblem.svg"),
    }
