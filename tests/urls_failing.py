"""A URL that fails, for the test that a server error keeps its traceback and gets the 500 page."""

from django.urls import include, path

from ecei_site.urls import urlpatterns as site_urls


def fail(request):
    raise RuntimeError("a deliberate failure for the test")


urlpatterns = [path("fail/", fail), path("", include(site_urls))]
