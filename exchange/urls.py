from django.urls import path

from exchange import views

app_name = "exchange"

urlpatterns = [
    path("exports/", views.exports_page, name="exports"),
    path("exports/codebook/v<str:version>.<str:fmt>", views.codebook_download, name="codebook"),
    path("exports/answers/", views.analysis_download, name="analysis"),
    path("imports/legacy/", views.legacy_import_page, name="legacy_import"),
]
