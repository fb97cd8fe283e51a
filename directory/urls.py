from django.urls import path

from directory import views

app_name = "clusters"

urlpatterns = [
    path("clusters/", views.cluster_list, name="list"),
    path("clusters/export.csv", views.export_csv, name="export_csv"),
    path("clusters/export.json", views.export_json, name="export_json"),
    path("clusters/<slug:slug>/", views.cluster_detail, name="detail"),
]
