from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils import timezone
from import_export import resources
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from benchmarking.models import (
    Answer,
    Catalogue,
    Category,
    ConflictOfInterest,
    Expert,
    ExpertRecommendation,
    GoldAssessment,
    ImprovementArea,
    Indicator,
    Interview,
    Label,
    LabelReminder,
    RecommendationRule,
    Report,
    SilverAudit,
)
from benchmarking.services import labels as label_services


class SharedChoicesMixin:
    """Evaluate each foreign-key select's choices once per request, not once per inline row.

    Without this an inline of 36 indicators runs one query per row and select, so the page's
    query count grows with the catalogue.
    """

    shared_choice_fields: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in self.shared_choice_fields and field is not None:
            cache = request.__dict__.setdefault("_shared_admin_choices", {})
            key = (type(self).__name__, db_field.name)
            if key not in cache:
                cache[key] = list(field.choices)
            field.choices = cache[key]
        return field


# --- Catalogue: catalogue → categories → indicators, editable in place ----------------------


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


class IndicatorInline(SharedChoicesMixin, admin.StackedInline):
    model = Indicator
    fk_name = "catalogue"
    extra = 0
    classes = ["collapse"]
    shared_choice_fields = ("category", "cross_check_with")
    fields = [
        ("category", "code", "order", "kind", "unit", "direction"),
        "wording",
        "help_text",
        "options",
        ("min_value", "max_value", "soft_min", "soft_max"),
        ("cross_check", "cross_check_with"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category")


@admin.register(Catalogue)
class CatalogueAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "published_on", "is_active", "indicator_count", "interview_count"]
    inlines = [CategoryInline, IndicatorInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                indicator_count=Count("indicators", distinct=True),
                interview_count=Count("interviews", distinct=True),
            )
        )

    @admin.display(description="indicators", ordering="indicator_count")
    def indicator_count(self, obj):
        return obj.indicator_count

    @admin.display(description="interviews", ordering="interview_count")
    def interview_count(self, obj):
        return obj.interview_count


class IndicatorInlineForCategory(SharedChoicesMixin, admin.TabularInline):
    model = Indicator
    fk_name = "category"
    extra = 0
    shared_choice_fields = ("catalogue", "cross_check_with")
    fields = ["code", "order", "wording", "kind", "unit", "direction", "min_value", "max_value"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "catalogue", "order"]
    list_filter = ["catalogue"]
    list_select_related = ["catalogue"]
    inlines = [IndicatorInlineForCategory]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "wording", "kind", "unit", "direction", "category", "catalogue"]
    list_filter = ["catalogue", "category__code", "kind", "direction"]
    list_select_related = ["category", "catalogue"]
    search_fields = ["code", "wording"]
    ordering = ["catalogue", "category__order", "order"]


# --- Experts ------------------------------------------------------------------------------


class ConflictOfInterestInline(admin.TabularInline):
    model = ConflictOfInterest
    extra = 0
    autocomplete_fields = ["cluster"]


class AccreditationFilter(admin.SimpleListFilter):
    title = "accreditation"
    parameter_name = "accredited"

    def lookups(self, request, model_admin):
        return [("yes", "Accredited today"), ("no", "Not accredited today")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        current = Q(accredited_from__lte=today, accredited_until__gte=today)
        if self.value() == "yes":
            return queryset.filter(current)
        if self.value() == "no":
            return queryset.exclude(current)
        return queryset


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["__str__", "accreditation_number", "country", "languages", "accredited_from", "accredited_until"]
    list_filter = [AccreditationFilter, "country"]
    list_select_related = ["user"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "accreditation_number"]
    autocomplete_fields = ["user"]
    inlines = [ConflictOfInterestInline]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["expert", "cluster", "declared_on"]
    list_select_related = ["expert__user", "cluster"]
    search_fields = ["cluster__name", "expert__user__last_name"]
    autocomplete_fields = ["expert", "cluster"]


# --- Interviews and answers -------------------------------------------------------------------


class AnswerInline(admin.TabularInline):
    """The 36 answers, in catalogue order. Edited through the interview screens, not here."""

    model = Answer
    extra = 0
    can_delete = False
    fields = ["indicator", "number", "boolean", "choice", "selected", "parts", "missing_reason", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("indicator__category")
            .order_by("indicator__category__order", "indicator__order")
        )


class ExpertRecommendationInline(admin.StackedInline):
    model = ExpertRecommendation
    extra = 0


@admin.register(Interview)
class InterviewAdmin(SimpleHistoryAdmin):
    list_display = ["cluster", "expert", "date", "mode", "status", "catalogue", "updated_at"]
    list_filter = ["status", "mode", "catalogue", "date"]
    list_select_related = ["cluster", "expert__user", "catalogue"]
    search_fields = ["cluster__name", "expert__user__last_name", "interviewee_name"]
    date_hierarchy = "date"
    autocomplete_fields = ["cluster", "expert"]
    readonly_fields = ["version", "submitted_at", "decided_at", "decided_by", "created_at", "updated_at"]
    inlines = [AnswerInline, ExpertRecommendationInline]


@admin.register(Answer)
class AnswerAdmin(SimpleHistoryAdmin):
    list_display = ["interview", "indicator", "number", "choice", "missing_reason", "updated_at"]
    list_filter = ["indicator__catalogue", "indicator__category__code", "missing_reason"]
    list_select_related = ["interview__cluster", "indicator"]
    search_fields = ["interview__cluster__name", "indicator__code"]
    raw_id_fields = ["interview"]

    def has_change_permission(self, request, obj=None):
        # Answers change through the interview screens, which check versions and locks.
        return False


# --- Labels -------------------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="Shown in the label's history.")


def _label_status_action(service, verb: str):
    """An admin action that asks for a reason on an intermediate page, then applies `service`."""

    def action(modeladmin, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = 0
            for label in queryset:
                try:
                    service(label=label, reason=form.cleaned_data["reason"], user=request.user)
                    done += 1
                except label_services.LabelError as exc:
                    modeladmin.message_user(request, f"{label.code}: {exc}", messages.WARNING)
            modeladmin.message_user(request, f"{done} label(s) {verb}.", messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/benchmarking/label/status_action.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": f"Labels to be {verb}",
                "labels": queryset,
                "form": form,
                "action": request.POST["action"],
                "verb": verb,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "opts": modeladmin.model._meta,
            },
        )

    action.__name__ = f"{verb}_labels"
    action.short_description = f"{verb.capitalize()} the selected labels (asks for a reason)"
    return action


class LiveStatusFilter(admin.SimpleListFilter):
    title = "live status"
    parameter_name = "live"

    def lookups(self, request, model_admin):
        return [("valid", "Valid today"), ("upcoming", "Not yet valid"), ("expired", "Expired")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "valid":
            return queryset.valid_on(today)
        if self.value() == "upcoming":
            return queryset.upcoming_on(today)
        if self.value() == "expired":
            return queryset.expired_on(today)
        return queryset


class LabelResource(resources.ModelResource):
    class Meta:
        model = Label
        import_id_fields = ["code"]
        fields = [
            "code",
            "cluster",
            "level",
            "benchmarked_on",
            "awarded_on",
            "valid_from",
            "valid_until",
            "status",
            "source",
        ]


@admin.register(Label)
class LabelAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [LabelResource]
    list_display = ["code", "cluster", "level", "valid_from", "valid_until", "status", "live_status_display", "source"]
    list_filter = [LiveStatusFilter, "level", "status", "source"]
    list_select_related = ["cluster"]
    search_fields = ["code", "cluster__name"]
    date_hierarchy = "valid_until"
    raw_id_fields = ["cluster", "interview", "renews", "silver_audit", "gold_assessment"]
    readonly_fields = ["status", "status_reason", "status_changed_on", "created_at"]
    actions = [
        _label_status_action(label_services.label_suspend, "suspended"),
        _label_status_action(label_services.label_reinstate, "reinstated"),
        _label_status_action(label_services.label_withdraw, "withdrawn"),
    ]

    @admin.display(description="today")
    def live_status_display(self, obj):
        return obj.live_status().capitalize()

    def has_delete_permission(self, request, obj=None):
        # Codes must never be reused, and the public history must stay complete.
        return False


@admin.register(LabelReminder)
class LabelReminderAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "sent_at", "recipients"]
    list_filter = ["kind"]
    list_select_related = ["label"]
    search_fields = ["label__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Silver, Gold, recommendations, reports --------------------------------------------------


class ImprovementAreaInline(admin.TabularInline):
    model = ImprovementArea
    extra = 3
    max_num = 3
    raw_id_fields = ["indicator"]


@admin.register(SilverAudit)
class SilverAuditAdmin(admin.ModelAdmin):
    list_display = ["cluster", "auditor", "audited_on", "passed"]
    list_filter = ["passed"]
    list_select_related = ["cluster"]
    search_fields = ["cluster__name", "auditor"]
    autocomplete_fields = ["cluster"]
    inlines = [ImprovementAreaInline]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        obj.recorded_by_id = obj.recorded_by_id or request.user.pk
        super().save_model(request, obj, form, change)


@admin.register(GoldAssessment)
class GoldAssessmentAdmin(admin.ModelAdmin):
    list_display = ["cluster", "first_assessor", "second_assessor", "assessed_on", "overall_score", "passed"]
    list_filter = ["passed"]
    list_select_related = ["cluster"]
    search_fields = ["cluster__name"]
    autocomplete_fields = ["cluster"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        obj.recorded_by_id = obj.recorded_by_id or request.user.pk
        super().save_model(request, obj, form, change)


@admin.register(RecommendationRule)
class RecommendationRuleAdmin(admin.ModelAdmin):
    list_display = ["indicator", "condition", "group", "threshold", "answer", "serves", "is_active"]
    list_filter = ["serves", "condition", "group", "is_active", "indicator__catalogue"]
    list_select_related = ["indicator__category"]
    search_fields = ["indicator__code", "text"]
    list_editable = ["is_active"]
    raw_id_fields = ["indicator"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["code", "interview", "version", "issued_at", "issued_by"]
    list_select_related = ["interview__cluster", "issued_by"]
    search_fields = ["code", "interview__cluster__name"]
    readonly_fields = ["code", "interview", "version", "issued_at", "issued_by", "snapshot"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # An issued report is a document: it is re-issued, never edited.
        return False
