from django.urls import path

from exchange import views

app_name = "exchange"

urlpatterns = [
    path("exports/", views.exports_page, name="exports"),
    path("exports/codebook/v<str:version>.<str:fmt>", views.codebook_download, name="codebook"),
    path("exports/answers/", views.analysis_download, name="analysis"),
    path("imports/legacy/", views.legacy_import_page, name="legacy_import"),
    path("imports/legacy/<int:pk>/", views.legacy_import_job, name="legacy_import_job"),
    path("imports/legacy/<int:pk>/progress.json", views.legacy_import_job_progress, name="legacy_import_progress"),
    path("imports/legacy/<int:pk>/apply/", views.legacy_import_job_apply, name="legacy_import_apply"),
    path("imports/legacy/<int:pk>/resume/", views.legacy_import_job_resume, name="legacy_import_resume"),
]
