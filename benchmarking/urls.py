from django.urls import path

from benchmarking.views import board as board_views
from benchmarking.views import interview_start as interview_start_views
from benchmarking.views import interviews, labels
from benchmarking.views import questionnaire as questionnaire_views
from benchmarking.views import reports as report_views
from benchmarking.views import review as review_views
from benchmarking.views import silver_gold as silver_gold_views

app_name = "benchmarking"

urlpatterns = [
    path("labels/verify/", labels.label_verify, name="label_verify"),
    path("labels/<str:code>/", labels.label_public, name="label_public"),
    path("labels/<str:code>/certificate/", labels.label_certificate, name="label_certificate"),
    # The secretariat: review and labels (issue 4)
    path("review/", review_views.review_queue_view, name="review_queue"),
    path("review/interviews/<int:pk>/", review_views.review_interview, name="review_interview"),
    path("review/interviews/<int:pk>/approve/", review_views.review_approve, name="review_approve"),
    path("review/interviews/<int:pk>/return/", review_views.review_return, name="review_return"),
    path("review/interviews/<int:pk>/reject/", review_views.review_reject, name="review_reject"),
    path("review/interviews/<int:pk>/reopen/", review_views.review_reopen, name="review_reopen"),
    path("review/interviews/<int:pk>/eligibility/", review_views.review_eligibility, name="review_eligibility"),
    # The EUCLES board (issue 14)
    path("board/", board_views.board_pending, name="board_pending"),
    path("board/decided/", board_views.board_decided, name="board_decided"),
    path("board/recommendations/<int:pk>/", board_views.board_recommendation, name="board_recommendation"),
    path("review/recommendations/<int:pk>/undo/", board_views.board_decision_undo_view, name="board_decision_undo"),
    path("review/labels/", labels.label_list, name="label_list"),
    path("review/labels/<str:code>/", labels.label_staff, name="label_staff"),
    path("review/labels/<str:code>/<str:action>/", labels.label_status_change, name="label_status_change"),
    path("review/clusters/<int:pk>/labels/", labels.cluster_labels, name="cluster_labels"),
    path("review/clusters/<int:pk>/silver/", silver_gold_views.silver_audit_new, name="silver_audit_new"),
    path("review/clusters/<int:pk>/gold/", silver_gold_views.gold_assessment_new, name="gold_assessment_new"),
    # The individual report (issue 6)
    path("reports/<str:code>.pdf", report_views.report_pdf, name="report_pdf"),
    path("reports/<str:code>/", report_views.report_detail, name="report"),
    path("reports/<str:code>/reissue/", report_views.report_reissue, name="report_reissue"),
    path("my-cluster/", report_views.my_cluster, name="my_cluster"),
    path(
        "interviews/<int:pk>/recommendations/",
        report_views.interview_recommendations,
        name="interview_recommendations",
    ),
    path("interviews/", interviews.interview_list, name="interview_list"),
    path("interviews/new/", interview_start_views.interview_new, name="interview_new"),
    path("interviews/clusters.json", interview_start_views.cluster_search, name="interview_cluster_search"),
    path("interviews/<int:pk>/", interviews.interview_detail, name="interview_detail"),
    path("interviews/<int:pk>/step/<str:code>/", interviews.interview_step, name="interview_step"),
    path("interviews/<int:pk>/submit/", interviews.interview_submit_view, name="interview_submit"),
    path("interviews/<int:pk>/date/", interview_start_views.interview_date_view, name="interview_date"),
    path("interviews/<int:pk>/history/", interviews.interview_history_view, name="interview_history"),
    # The questionnaire in advance (issue 16)
    path("interviews/<int:pk>/invitation/", questionnaire_views.interview_invitation, name="interview_invitation"),
    path(
        "interviews/<int:pk>/invitation/resend/",
        questionnaire_views.interview_invitation_resend,
        name="interview_invitation_resend",
    ),
    path(
        "interviews/<int:pk>/invitation/revoke/",
        questionnaire_views.interview_invitation_revoke,
        name="interview_invitation_revoke",
    ),
    path("questionnaire/invitation/<str:token>/", questionnaire_views.invitation_accept_view, name="invitation_accept"),
    path("questionnaire/<int:pk>/", questionnaire_views.questionnaire, name="questionnaire"),
    path("questionnaire/<int:pk>/step/<str:code>/", questionnaire_views.questionnaire_step, name="questionnaire_step"),
    path("questionnaire/<int:pk>/ready/", questionnaire_views.questionnaire_ready, name="questionnaire_ready"),
    path("questionnaire/<int:pk>/print/", questionnaire_views.questionnaire_print, name="questionnaire_print"),
    path("questionnaire/<int:pk>/blank.pdf", questionnaire_views.questionnaire_pdf_view, name="questionnaire_pdf"),
]
