from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from api import views
from api.errors import api_not_found
from opendata import api as opendata_api

app_name = "api"

urlpatterns = [
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/docs/", views.api_docs, name="docs"),
    path("api/v1/clusters/", views.ClusterList.as_view(), name="cluster_list"),
    path("api/v1/clusters/<slug:slug>/", views.ClusterDetail.as_view(), name="cluster_detail"),
    path("api/v1/labels/<str:code>/", views.LabelVerify.as_view(), name="label_verify"),
    path("api/v1/portfolios/", views.PortfolioList.as_view(), name="portfolio_list"),
    path("api/v1/countries/", views.CountryList.as_view(), name="country_list"),
    path("api/v1/interviews/", views.InterviewList.as_view(), name="interview_list"),
    path("api/v1/interviews/<int:pk>/", views.InterviewDetail.as_view(), name="interview_detail"),
    path("api/v1/reports/", views.ReportList.as_view(), name="report_list"),
    path("api/v1/reports/<str:code>/", views.ReportDetail.as_view(), name="report_detail"),
    # Open data (issue 29): opendata/api.py
    path("api/v1/statistics/", opendata_api.StatisticsView.as_view(), name="statistics"),
    path("api/v1/credentials/verify/", opendata_api.CredentialVerifyView.as_view(), name="credential_verify"),
    re_path(r"^api/", api_not_found),
]
