from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.admin import ImportExportMixin
from import_export.fields import Field
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from benchmarking.limits import REASON_MAX_LENGTH
from benchmarking.models import (
    Answer,
    AuditRecommendation,
    BaselineRequirement,
    BaselineRequirementSet,
    Catalogue,
    Category,
    ConflictOfInterest,
    EligibilityCriterion,
    Expert,
    ExpertRecommendation,
    GoldAssessment,
    GoldIndicator,
    GoldIndicatorSet,
    GoldScore,
    ImprovementArea,
    Indicator,
    Interview,
    Label,
    LabelRecommendation,
    LabelReminder,
    RecommendationRule,
    Report,
    RequirementCheck,
    SilverAudit,
)
from benchmarking.selectors.labels import label_status
from benchmarking.services import labels as label_services
from clusters.models import Cluster
from ecei_site.admin_history import HistoryAdmin, ReadOnlyAdmin
from ecei_site.admin_paging import EstimatedCountPaginator
from ecei_site.spreadsheets import (
    ExistingObjectWidget,
    FullValidationMixin,
    SpreadsheetSafeExportMixin,
    TableImportForm,
)
from ecei_site.translated import missing_translations_text


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


class ReadOnlyInline(ReadOnlyAdmin):
    extra = 0
    can_delete = False


# --- Catalogue: catalogue → categories → indicators, editable in place ----------------------

# What an interview's answers mean. Once a catalogue is used by an interview these are fixed:
# a revised questionnaire is a new catalogue version (README, "The data").
INDICATOR_MEANING_FIELDS = [
    "catalogue",
    "category",
    "code",
    "kind",
    "unit_en",
    "options",
    "min_value",
    "max_value",
    "direction",
    "cross_check",
    "cross_check_with",
    "compares_with",
]


def catalogue_in_use(request, catalogue_id) -> bool:
    """Whether interviews use the catalogue; asked once per request, however many inlines ask."""
    if catalogue_id is None:
        return False
    cache = request.__dict__.setdefault("_catalogue_in_use", {})
    if catalogue_id not in cache:
        cache[catalogue_id] = Interview.objects.filter(catalogue_id=catalogue_id).exists()
    return cache[catalogue_id]


class CatalogueInUseMixin:
    """Indicators and categories of a catalogue used by interviews keep their meaning."""

    def _catalogue_id(self, obj):
        if obj is None:
            return None
        return obj.pk if isinstance(obj, Catalogue) else obj.catalogue_id

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if catalogue_in_use(request, self._catalogue_id(obj)):
            meaning = INDICATOR_MEANING_FIELDS if self.model is Indicator else ["catalogue", "code", "order"]
            fields += [f for f in meaning if f not in fields]
        return fields

    def has_add_permission(self, request, obj=None):
        if catalogue_in_use(request, self._catalogue_id(obj)):
            return False
        return super().has_add_permission(request, obj) if obj is not None else super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        if catalogue_in_use(request, self._catalogue_id(obj)):
            return False
        return super().has_delete_permission(request, obj)


class CategoryInline(CatalogueInUseMixin, TranslationTabularInline):
    model = Category
    extra = 0


class IndicatorInline(CatalogueInUseMixin, SharedChoicesMixin, TranslationStackedInline):
    model = Indicator
    fk_name = "catalogue"
    extra = 0
    classes = ["collapse"]
    shared_choice_fields = ("category", "cross_check_with", "compares_with")
    fields = [
        ("category", "code", "order", "kind", "direction"),
        "wording",
        "help_text",
        "unit",
        "options",
        "option_labels",
        ("min_value", "max_value", "soft_min", "soft_max"),
        ("cross_check", "cross_check_with"),
        "compares_with",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category")


def _count_of(model):
    rows = model.objects.filter(catalogue=OuterRef("pk")).order_by().values("catalogue")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


@admin.register(Catalogue)
class CatalogueAdmin(TranslationAdmin, HistoryAdmin):
    list_display = ["version", "title", "published_on", "is_active", "indicator_count", "interview_count"]
    inlines = [CategoryInline, IndicatorInline]
    readonly_fields = ["translations_missing"]

    @admin.display(description="translations missing")
    def translations_missing(self, obj):
        """Every category and indicator of this version whose Spanish or German text is missing."""
        if obj.pk is None:
            return "-"
        rows = [
            f"{item.code}: {text}"
            for item in [*obj.categories.all(), *obj.indicators.all()]
            if (text := missing_translations_text(item))
        ]
        if own := missing_translations_text(obj):
            rows.insert(0, f"title: {own}")
        return format_html_join(mark_safe("<br>"), "{}", ((row,) for row in rows)) if rows else "none"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                # Counted apart (each through its catalogue index): COUNT(DISTINCT) over the join of
                # both relations counted indicators x interviews rows, 3.4 s at 10,000 clusters.
                indicator_count=_count_of(Indicator),
                interview_count=_count_of(Interview),
            )
        )

    @admin.display(description="indicators", ordering="indicator_count")
    def indicator_count(self, obj):
        return obj.indicator_count

    @admin.display(description="interviews", ordering="interview_count")
    def interview_count(self, obj):
        return obj.interview_count


class IndicatorInlineForCategory(CatalogueInUseMixin, SharedChoicesMixin, TranslationTabularInline):
    model = Indicator
    fk_name = "category"
    extra = 0
    shared_choice_fields = ("catalogue", "cross_check_with")
    fields = ["code", "order", "wording", "kind", "unit", "direction", "min_value", "max_value"]


class MissingTranslationsColumn:
    """A list column naming the Spanish and German texts still missing (they show in English)."""

    @admin.display(description="translations missing")
    def translations_missing(self, obj):
        return missing_translations_text(obj) or "-"


@admin.register(Category)
class CategoryAdmin(CatalogueInUseMixin, MissingTranslationsColumn, TranslationAdmin, HistoryAdmin):
    list_display = ["code", "title", "catalogue", "order", "translations_missing"]
    list_filter = ["catalogue"]
    list_select_related = ["catalogue"]
    inlines = [IndicatorInlineForCategory]


@admin.register(Indicator)
class IndicatorAdmin(CatalogueInUseMixin, MissingTranslationsColumn, TranslationAdmin, HistoryAdmin):
    list_display = ["code", "wording", "kind", "unit", "direction", "category", "catalogue", "translations_missing"]
    list_filter = ["catalogue", "category__code", "kind", "direction"]
    list_select_related = ["category", "catalogue"]
    search_fields = ["code", "wording"]
    ordering = ["catalogue", "category__order", "order"]


@admin.register(EligibilityCriterion)
class EligibilityCriterionAdmin(MissingTranslationsColumn, TranslationAdmin, HistoryAdmin):
    """The eligibility criteria of each catalogue version: data (selectors/eligibility.py reads them)."""

    list_display = ["code", "name", "rule", "indicator", "threshold", "part", "fact", "catalogue"]
    list_display += ["translations_missing"]
    list_filter = ["catalogue", "rule"]
    list_select_related = ["catalogue", "indicator"]
    raw_id_fields = ["indicator"]


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
class ExpertAdmin(HistoryAdmin):
    list_display = ["__str__", "accreditation_number", "country_name", "languages", "accredited_from"]
    list_display += ["accredited_until"]
    list_filter = [AccreditationFilter, "country"]
    list_select_related = ["user"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "accreditation_number"]
    autocomplete_fields = ["user"]
    inlines = [ConflictOfInterestInline]

    # The country's name from the value itself: the admin's display of a choices field looked it
    # up in the flattened list of 249 countries, row by row (2 of the changelist's 2.4 s, issue 30).
    @admin.display(description="country", ordering="country")
    def country_name(self, obj):
        return obj.country.name


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(HistoryAdmin):
    list_display = ["expert", "cluster", "declared_on"]
    list_select_related = ["expert__user", "cluster"]
    search_fields = ["cluster__name", "expert__user__last_name"]
    autocomplete_fields = ["expert", "cluster"]


# --- Interviews and answers -------------------------------------------------------------------


class AnswerInline(ReadOnlyInline, admin.TabularInline):
    """The 36 answers, in catalogue order. Edited through the interview screens, not here."""

    model = Answer
    fields = ["indicator", "number", "boolean", "choice", "selected", "parts", "missing_reason", "comment"]
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


# --- Labels -------------------------------------------------------------------------------------


def _reason_help() -> str:
    return gettext("Shown in the label's history. At most %(n)s characters.") % {"n": REASON_MAX_LENGTH}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        help_text=lazy(_reason_help, str)(),  # translated when shown
        label=_("Reason"),
    )


@dataclass(frozen=True)
class LabelActionTexts:
    """What a label action says: whole sentences, since word order differs between languages."""

    description: str  # in the actions menu
    title: str  # of the confirmation page
    confirm: str  # its button
    done: str  # afterwards, with %(n)s


SUSPEND_TEXTS = LabelActionTexts(
    _("Suspend the selected labels (asks for a reason)"),
    _("Labels to be suspended"),
    _("Confirm: suspend"),
    _("Labels suspended: %(n)s."),
)
REINSTATE_TEXTS = LabelActionTexts(
    _("Reinstate the selected labels (asks for a reason)"),
    _("Labels to be reinstated"),
    _("Confirm: reinstate"),
    _("Labels reinstated: %(n)s."),
)
WITHDRAW_TEXTS = LabelActionTexts(
    _("Withdraw the selected labels (asks for a reason)"),
    _("Labels to be withdrawn"),
    _("Confirm: withdraw"),
    _("Labels withdrawn: %(n)s."),
)


def _label_status_action(service, name: str, texts: LabelActionTexts):
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
            modeladmin.message_user(request, texts.done % {"n": done}, messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/benchmarking/label/status_action.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": texts.title,
                "confirm": texts.confirm,
                "labels": queryset,
                "form": form,
                "action": request.POST["action"],
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "opts": modeladmin.model._meta,
            },
        )

    action.__name__ = f"{name}_labels"
    action.short_description = texts.description
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


class LabelResource(FullValidationMixin, SpreadsheetSafeExportMixin, resources.ModelResource):
    """Labels of the earlier database, each row checked by services/labels.imported_label_refusals."""

    cluster = Field(attribute="cluster", column_name="cluster", widget=ExistingObjectWidget(Cluster, "slug"))

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
        clean_model_instances = True

    def row_refusals(self, instance) -> dict[str, str]:
        return label_services.imported_label_refusals(instance)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.user = kwargs.get("user")

    def do_instance_save(self, instance, is_create):
        # The label service's door: the same refusals, the cluster's public facts refreshed.
        label_services.label_import(label=instance, user=self.user)


@admin.register(Label)
class LabelAdmin(ReadOnlyAdmin, ImportExportMixin, HistoryAdmin):
    """Labels are awarded only by the services (approval, Silver audit, Gold assessment) or by
    the import, which applies the same rules; their status changes through the actions."""

    resource_classes = [LabelResource]
    import_form_class = TableImportForm
    list_display = ["code", "cluster", "level", "valid_from", "valid_until", "status", "live_status_display", "source"]
    list_filter = [LiveStatusFilter, "level", "status", "source"]
    list_select_related = ["cluster"]
    search_fields = ["code", "cluster__name"]
    date_hierarchy = "valid_until"
    # The default order (-valid_until, -id) is the index label_valid_until_id; no count of the whole table.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    actions = [
        _label_status_action(label_services.label_suspend, "suspended", SUSPEND_TEXTS),
        _label_status_action(label_services.label_reinstate, "reinstated", REINSTATE_TEXTS),
        _label_status_action(label_services.label_withdraw, "withdrawn", WITHDRAW_TEXTS),
    ]

    @admin.display(description="today")
    def live_status_display(self, obj):
        return label_status(obj).word


@admin.register(LabelReminder)
class LabelReminderAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Written by the daily job; the record that stops a reminder going out twice."""

    list_display = ["label", "kind", "sent_at", "recipients"]
    list_filter = ["kind"]
    list_select_related = ["label"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    search_fields = ["label__code"]


# --- Silver, Gold, recommendations, reports --------------------------------------------------


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


# --- Versioned sets: Gold indicators, baseline minimum requirements --------------------------

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


@admin.register(RecommendationRule)
class RecommendationRuleAdmin(MissingTranslationsColumn, TranslationAdmin, HistoryAdmin):
    list_display = [
        "indicator",
        "condition",
        "group",
        "threshold",
        "answer",
        "serves",
        "is_active",
        "translations_missing",
    ]
    list_filter = ["serves", "condition", "group", "is_active", "indicator__catalogue"]
    list_select_related = ["indicator__category"]
    search_fields = ["indicator__code", "text"]
    list_editable = ["is_active"]
    raw_id_fields = ["indicator"]


@admin.register(LabelRecommendation)
class LabelRecommendationAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Recommended by the secretariat's approval, audit or assessment; decided by the EUCLES board on
    its own screen (/board/), where the four-eyes rule applies: shown here, never edited."""

    list_display = ["cluster", "level", "benchmarked_on", "status", "decided_on", "meeting", "decided_by", "label"]
    list_filter = ["status", "level"]
    list_select_related = ["cluster", "decided_by", "label"]
    # The default order (recommended_at, id) is the index recommendation_time_id; no count of the whole table.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    search_fields = ["cluster__name", "meeting", "label__code"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """An issued report is a document: it is re-issued, never edited or deleted."""

    list_display = ["code", "interview", "version", "issued_at", "issued_by"]
    list_select_related = ["interview__cluster", "issued_by"]
    search_fields = ["code", "interview__cluster__name"]
    # The default order (-issued_at, -id) is the index report_issued_id; no count of the whole table.
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_queryset(self, request):
        # The document (270 KB of JSON a report in three languages) is not shown in the list:
        # decoding it was 90 % of the changelist's time. A report's own page reads it when shown.
        return super().get_queryset(request).defer(*Report.DOCUMENT_FIELDS)
