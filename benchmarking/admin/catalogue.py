"""The catalogue: catalogue → categories → indicators, editable in place until an interview uses
them; the eligibility criteria."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from benchmarking.admin.common import MissingTranslationsColumn, SharedChoicesMixin
from benchmarking.models import Catalogue, Category, EligibilityCriterion, Indicator, Interview
from ecei_site.admin_history import HistoryAdmin
from ecei_site.translated import missing_translations_text

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
