"""Interviews and answers: read here, with their history; edited on the product's screens."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from benchmarking.admin.common import ReadOnlyInline
from benchmarking.kinds import VALUE_COLUMNS
from benchmarking.models import Answer, ExpertRecommendation, Interview
from ecei_site.admin_history import HistoryAdmin, ReadOnlyAdmin
from ecei_site.admin_paging import EstimatedCountPaginator


class AnswerInline(ReadOnlyInline, admin.TabularInline):
    """The 36 answers, in catalogue order. Edited through the interview screens, not here."""

    model = Answer
    fields = ["indicator", *VALUE_COLUMNS, "missing_reason", "comment"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # interview__cluster: each row's title is str(answer), which names them
            .select_related("indicator__category", "interview__cluster")
            .order_by("indicator__category__order", "indicator__order")
        )


class ExpertRecommendationInline(ReadOnlyInline, admin.StackedInline):
    model = ExpertRecommendation
    fields = readonly_fields = ["category", "text"]

    def get_queryset(self, request):
        # Each one's title is str(recommendation), which names its interview's cluster and its category.
        return super().get_queryset(request).select_related("category", "interview__cluster")


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Interviews are started, saved, submitted and decided on the product's screens only
    (services/interviews.py, services/review.py): here they are read, with their history."""

    list_display = ["cluster", "expert", "date", "mode", "status", "catalogue", "updated_at", "review_link"]
    list_filter = ["status", "mode", "catalogue", "date"]
    list_select_related = ["cluster", "expert__user", "catalogue"]
    # Large at 100,000 clusters: no count of the whole table (ecei_site.admin_paging); the
    # default order (-date, -id) is the index interview_date_id.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    search_fields = ["cluster__name", "expert__user__last_name", "interviewee_name"]
    date_hierarchy = "date"
    inlines = [AnswerInline, ExpertRecommendationInline]

    @admin.display(description="decide")
    def review_link(self, obj):
        url = reverse("benchmarking:review_interview", kwargs={"pk": obj.pk})
        return format_html('<a href="{}">Review page</a>', url)


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Answers change through the interview screens, which check versions and locks."""

    list_display = ["interview", "indicator", "number", "choice", "missing_reason", "updated_at"]
    list_filter = ["indicator__catalogue", "indicator__category__code", "missing_reason"]
    list_select_related = ["interview__cluster", "indicator"]
    # 8.4 million rows at 100,000 clusters: the newest first by the primary key (the model's order,
    # by category and indicator, sorted every answer through two joins), no count of the whole table.
    ordering = ["-pk"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    search_fields = ["interview__cluster__name", "indicator__code"]
