from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from accounts.views import ThrottledPasswordResetView, set_language
from benchmarking.views.start import start
from directory.views import overview
from ecei_site.health import health
from ecei_site.icons import favicon

admin.site.site_header = "ECEI Benchmarking administration"
admin.site.site_title = "ECEI administration"
admin.site.index_title = "Secretariat"

urlpatterns = [
    # A setting, so that production can move it away from the address every scanner tries.
    path(settings.ADMIN_URL, admin.site.urls),
    # Before Django's own, which it replaces: the reset is throttled (accounts.throttle).
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("health/", health, name="health"),
    # Browsers ask for /favicon.ico whatever the page links: the icon in static/.
    path("favicon.ico", favicon, name="favicon"),
    path("", overview, name="home"),
    path("start/", start, name="start"),
    path("i18n/setlang/", set_language, name="set_language"),
    # The JavaScript catalogue is a script of its own (no inline script under the CSP).
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(),
        name="javascript-catalog",
    ),
    path("", include("benchmarking.urls")),
    path("", include("directory.urls")),
    path("", include("exchange.urls")),
    path("", include("comparisons.urls")),  # before api.urls, whose last pattern answers every other /api/
    path("", include("api.urls")),
    path("", include("opendata.urls")),
]
