from django.urls import path

from benchmarking.views import labels

app_name = "benchmarking"

urlpatterns = [
    path("labels/verify/", labels.label_verify, name="label_verify"),
    path("labels/<str:code>/", labels.label_public, name="label_public"),
]
