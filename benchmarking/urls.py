from django.urls import path

from benchmarking.views import interviews, labels

app_name = "benchmarking"

urlpatterns = [
    path("labels/verify/", labels.label_verify, name="label_verify"),
    path("labels/<str:code>/", labels.label_public, name="label_public"),
    path("interviews/", interviews.interview_list, name="interview_list"),
    path("interviews/new/", interviews.interview_new, name="interview_new"),
    path("interviews/clusters.json", interviews.cluster_search, name="interview_cluster_search"),
    path("interviews/<int:pk>/", interviews.interview_detail, name="interview_detail"),
    path("interviews/<int:pk>/step/<str:code>/", interviews.interview_step, name="interview_step"),
    path("interviews/<int:pk>/submit/", interviews.interview_submit_view, name="interview_submit"),
    path("interviews/<int:pk>/history/", interviews.interview_history_view, name="interview_history"),
]
