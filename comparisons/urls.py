from django.urls import path

from comparisons import api, views

app_name = "comparisons"

urlpatterns = [
    path("my-cluster/<slug:slug>/compare/", views.compare, name="compare"),
    path("my-cluster/<slug:slug>/compare/save/", views.save, name="save"),
    path("my-cluster/<slug:slug>/compare/saved/<int:pk>/delete/", views.delete, name="delete"),
    path("my-cluster/<slug:slug>/compare.csv", views.download_csv, name="csv"),
    path("my-cluster/<slug:slug>/compare.pdf", views.download_pdf, name="pdf"),
    path("api/v1/comparisons/<slug:slug>/", api.ComparisonView.as_view(), name="api"),
]
