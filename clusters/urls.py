from django.urls import path

from clusters import views

app_name = "clusters"

urlpatterns = [
    path("clusters/", views.cluster_list, name="list"),
    path("clusters/<slug:slug>/", views.cluster_detail, name="detail"),
]
