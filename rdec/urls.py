from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from rdec.core import views as core_views
from rdec.core.favicon import favicon
from rdec.core.registry import module_apps, optional_module

urlpatterns = [
    # the platform's API first (URLs are tried in order; the queued intake is the busiest route)
    path("api/", include("rdec.core.api.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    # the CKAN Action API where CKAN clients look for it: /api/3/action/<name>, /api/action/<name>
    path("api/", include("rdec.opendata.api.ckan_urls")),
    # the language switch without a CSRF token: it only sets the language cookie and redirects to a
    # path on this site, and a token in every page's header would keep public pages out of the
    # shared page cache (rdec/core/page_cache.py, docs/security.md)
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("open311/v2/", include("rdec.petitions.open311.urls")),
    # DCAT where harvesters look for it (ckanext-dcat's paths): /catalog.ttl, /dataset/{id}.ttl
    path("", include("rdec.opendata.dcat_urls")),
]

pages = [path("", include("rdec.core.urls"))]
for app in module_apps():
    if optional_module(f"{app}.urls") is not None:
        label = app.rsplit(".", 1)[1]
        pages.append(path(f"{label}/", include(f"{app}.urls")))
pages.append(path("admin/", admin.site.urls))

urlpatterns += i18n_patterns(*pages, prefix_default_language=False)

handler404 = "rdec.core.errors.page_not_found"
handler500 = "rdec.core.errors.server_error"
handler403 = "rdec.core.errors.permission_denied"
handler400 = "rdec.core.errors.bad_request"
