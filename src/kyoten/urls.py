"""Root URLs: core pages, the API, and each lifecycle app's pages under /<app>/."""

from django.contrib import admin
from django.urls import include, path

from kyoten.api.main import api
from kyoten.core.registry import app_modules

urlpatterns = [
    path("", include("kyoten.core.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *[path(f"{app}/", include(module)) for app, module in app_modules("urls") if app != "core"],
    # Pages an app serves at the root (the network's /opendata/).
    *[path("", include(module)) for _app, module in app_modules("root_urls")],
]

handler400 = "kyoten.core.views.bad_request"
handler403 = "kyoten.core.views.permission_denied"
handler404 = "kyoten.core.views.page_not_found"
handler500 = "kyoten.core.views.server_error"
