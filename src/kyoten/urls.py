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
]
