"""Silver audits and Gold assessments (read here), and the versioned sets they check against:
the Gold indicators and the baseline minimum requirements (editable until used)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from benchmarking.admin.common import MissingTranslationsColumn, ReadOnlyInline
from benchmarking.models import (
    AuditRecommendation,
    BaselineRequirement,
    BaselineRequirementSet,
    GoldAssessment,
    GoldIndicator,
    GoldIndicatorSet,
    GoldScore,
    ImprovementArea,
    RequirementCheck,
    SilverAudit,
)
from ecei_site.admin_history import HistoryAdmin, ReadOnlyAdmin


class LabelPageLinkMixin:
    """Silver audits and Gold assessments are recorded on the cluster's label page, where the
    service checks the rules and awards the label; the admin shows them."""

    @admin.display(description="recorded on")
    def label_page_link(self, obj):
        url = reverse("benchmarking:cluster_labels", kwargs={"pk": obj.cluster_id})
        return format_html('<a href="{}">Label page of the cluster</a>', url)


class ImprovementAreaInline(ReadOnlyInline, admin.TabularInline):
    model = ImprovementArea
    fields = readonly_fields = ["indicator", "description"]


class RequirementCheckInline(ReadOnlyInline, admin.TabularInline):
    model = RequirementCheck
    fields = readonly_fields = ["requirement", "met", "note"]


class AuditRecommendationInline(ReadOnlyInline, admin.TabularInline):
    model = AuditRecommendation
    fields = readonly_fields = ["order", "text"]


@admin.register(SilverAudit)
class SilverAuditAdmin(ReadOnlyAdmin, LabelPageLinkMixin, HistoryAdmin):
    list_display = ["cluster", "auditor_display", "audited_on", "passed", "requirement_set", "label_page_link"]
    list_filter = ["passed"]
    list_select_related = ["cluster", "requirement_set", "auditor__user"]
    search_fields = ["cluster__name", "auditor_name", "auditor__user__last_name"]
    inlines = [RequirementCheckInline, AuditRecommendationInline, ImprovementAreaInline]


class GoldScoreInline(ReadOnlyInline, admin.TabularInline):
    model = GoldScore
    fields = readonly_fields = ["indicator", "score", "threshold", "meets_threshold"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")

    @admin.display(description="threshold")
    def threshold(self, obj):
        return obj.indicator.threshold

    @admin.display(description="reached", boolean=True)
    def meets_threshold(self, obj):
        return obj.meets_threshold


@admin.register(GoldAssessment)
class GoldAssessmentAdmin(ReadOnlyAdmin, LabelPageLinkMixin, HistoryAdmin):
    list_display = ["cluster", "first_assessor", "second_assessor", "assessed_on", "overall_score", "passed"]
    list_display += ["indicator_set", "label_page_link"]
    list_filter = ["passed", "indicator_set"]
    list_select_related = ["cluster", "indicator_set", "first_assessor__user", "second_assessor__user"]
    search_fields = ["cluster__name"]
    inlines = [GoldScoreInline]


# The meaning of a Gold indicator and of a baseline requirement: fixed once an assessment or an
# audit used its set (a revision is a new version). Their translations stay editable.
GOLD_INDICATOR_MEANING_FIELDS = ["indicator_set", "code", "wording_en", "threshold", "weight"]
BASELINE_REQUIREMENT_MEANING_FIELDS = ["requirement_set", "code", "text_en"]


def set_in_use(request, usage_model, usage_field: str, set_id) -> bool:
    """Whether records of `usage_model` use the set (their `usage_field`); asked once per request."""
    if set_id is None:
        return False
    cache = request.__dict__.setdefault("_sets_in_use", {})
    key = (usage_model._meta.label, set_id)
    if key not in cache:
        cache[key] = usage_model.objects.filter(**{usage_field: set_id}).exists()
    return cache[key]


class SetInUseMixin:
    """A versioned set and its members keep their meaning once used (see the field lists above).

    Each admin names its `set_model`, the members' `member_field` (the foreign key to the set),
    the records that use a set (`usage_model` and its foreign key `member_field`) and the
    member's meaning fields.
    """

    set_model = None
    member_field = ""
    usage_model = None
    member_meaning_fields: list[str] = []

    def _in_use(self, request, obj) -> bool:
        return set_in_use(request, self.usage_model, self.member_field, self._set_id(obj))

    def _set_id(self, obj):
        if obj is None:
            return None
        return obj.pk if isinstance(obj, self.set_model) else getattr(obj, f"{self.member_field}_id")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self._in_use(request, obj):
            meaning = ["version"] if self.model is self.set_model else self.member_meaning_fields
            fields += [f for f in meaning if f not in fields]
        return fields

    def has_add_permission(self, request, obj=None):
        if self._in_use(request, obj):
            return False
        return super().has_add_permission(request, obj) if obj is not None else super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        if self._in_use(request, obj):
            return False
        return super().has_delete_permission(request, obj)


class GoldSetInUseMixin(SetInUseMixin):
    set_model = GoldIndicatorSet
    member_field = "indicator_set"
    usage_model = GoldAssessment
    member_meaning_fields = GOLD_INDICATOR_MEANING_FIELDS


class BaselineSetInUseMixin(SetInUseMixin):
    set_model = BaselineRequirementSet
    member_field = "requirement_set"
    usage_model = SilverAudit
    member_meaning_fields = BASELINE_REQUIREMENT_MEANING_FIELDS


class GoldIndicatorInline(GoldSetInUseMixin, TranslationTabularInline):
    model = GoldIndicator
    extra = 0
    fields = ["code", "order", "area", "wording", "threshold", "weight"]


@admin.register(GoldIndicatorSet)
class GoldIndicatorSetAdmin(GoldSetInUseMixin, TranslationAdmin, HistoryAdmin):
    list_display = ["version", "title", "published_on", "is_active"]
    inlines = [GoldIndicatorInline]


@admin.register(GoldIndicator)
class GoldIndicatorAdmin(GoldSetInUseMixin, MissingTranslationsColumn, TranslationAdmin, HistoryAdmin):
    list_display = ["code", "wording", "area", "threshold", "weight", "indicator_set", "translations_missing"]
    list_filter = ["indicator_set", "area"]
    list_select_related = ["indicator_set"]
    search_fields = ["code", "wording_en"]


class BaselineRequirementInline(BaselineSetInUseMixin, TranslationTabularInline):
    model = BaselineRequirement
    extra = 0
    fields = ["code", "order", "text", "evidence"]


@admin.register(BaselineRequirementSet)
class BaselineRequirementSetAdmin(BaselineSetInUseMixin, TranslationAdmin, HistoryAdmin):
    list_display = ["version", "title", "published_on", "is_active"]
    inlines = [BaselineRequirementInline]


@admin.register(BaselineRequirement)
class BaselineRequirementAdmin(BaselineSetInUseMixin, MissingTranslationsColumn, TranslationAdmin, HistoryAdmin):
    list_display = ["code", "text", "requirement_set", "translations_missing"]
    list_filter = ["requirement_set"]
    list_select_related = ["requirement_set"]
    search_fields = ["code", "text_en"]
