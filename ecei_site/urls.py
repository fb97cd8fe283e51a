from django.contrib import admin
from django.urls import include, path

from benchmarking.views.start import start
from clusters.views import overview

admin.site.site_header = "ECEI Benchmarking administration"
admin.site.site_title = "ECEI administration"
admin.site.index_title = "Secretariat"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", overview, name="home"),
    path("start/", start, name="start"),
    path("", include("benchmarking.urls")),
    path("", include("clusters.urls")),
    path("", include("exchange.urls")),
    path("", include("api.urls")),
]
