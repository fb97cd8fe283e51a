from django.urls import path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("statistics/", views.statistics, name="statistics"),
    path("open-data/", views.dataset_page, name="dataset"),
    path("open-data/catalogue.jsonld", views.catalogue, name="catalogue"),
    path("open-data/datapackage.json", views.datapackage, name="datapackage"),
    path("open-data/ecei-open-data.json", views.data_json, name="data_json"),
    path("open-data/<str:table>.csv", views.table_csv, name="table_csv"),
    path("open-data/snapshots/<int:year>.zip", views.snapshot, name="snapshot"),
    path("open-data/status/revocation", views.status_list, name="status_list"),
    path("open-data/achievements/<str:level>", views.achievement, name="achievement"),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    # Beside the label's page (benchmarking.urls: labels/<code>/): stable addresses per label.
    path("labels/verify/credential/", views.credential_verify, name="credential_verify"),
    path("labels/<str:code>/badge.svg", views.badge, name="badge"),
    path("labels/<str:code>/credential.jwt", views.credential, name="credential"),
]
