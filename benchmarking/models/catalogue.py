"""The catalogue: its versions, categories, indicators and eligibility criteria (data)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from benchmarking.kinds import KIND_MAX_LENGTH, kind_choices


class CatalogueQuerySet(models.QuerySet):
    def current(self):
        """The catalogue new interviews use: the latest published of the active ones (or None).

        Earlier versions may stay active (their interviews, reports and imports keep them);
        publishing a newer active version is all it takes to switch new interviews to it.
        """
        return self.filter(is_active=True).order_by("-published_on", "-pk").first()

    def in_force_on(self, day: datetime.date):
        """The catalogue an interview on `day` uses: the latest published on or before that day of
        the active ones (None before the first). domain.md, "Catalogue and rules by the interview's
        date": an interview of 14 November 2019 answers v1, one of 15 November 2019 v2."""
        return self.filter(is_active=True, published_on__lte=day).order_by("-published_on", "-pk").first()


class Catalogue(models.Model):
    """A versioned set of indicators. Interviews record the version they used: the one in force
    on the interview's date (`Catalogue.objects.in_force_on`)."""

    version = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    published_on = models.DateField()
    is_active = models.BooleanField(
        default=False,
        help_text="In use. New interviews use the latest published active catalogue; earlier ones stay "
        "readable whatever this says.",
    )

    history = HistoricalRecords()  # with its language columns: ecei_site.translated.translated_history

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on"]

    def __str__(self):
        return f"Catalogue v{self.version}: {self.title}"


class Category(models.Model):
    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(max_length=2)
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()  # with its language columns: ecei_site.translated.translated_history

    class Meta:
        ordering = ["catalogue", "order", "code"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(fields=["catalogue", "code"], name="category_code_unique_in_catalogue")]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Indicator(models.Model):
    # The kinds of answer (benchmarking.kinds): YEAR = "year", ... as the registry declares them.
    Kind = models.TextChoices("Kind", kind_choices())

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")
        NEUTRAL = "neutral", _("Neither")

    class CrossCheck(models.TextChoices):
        """A soft rule comparing this indicator with another one of the same interview."""

        NONE = "", _("None")
        TOTAL_EQUALS = "total_equals", _("Total of parts should equal the other indicator")
        NOT_ABOVE = "not_above", _("Should not be above the other indicator")

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="indicators")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=5)
    order = models.PositiveSmallIntegerField(default=0)
    wording = models.CharField(max_length=300)
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=KIND_MAX_LENGTH, choices=Kind.choices)
    unit = models.CharField(max_length=30, blank=True)
    options = models.JSONField(
        default=list,
        blank=True,
        help_text="For choice and multi: the options. For counts and shares: the named parts.",
    )
    # What a reader sees for each option, in the same order; answers keep the option itself.
    # Empty: the options as they are (English).
    option_labels = models.JSONField(
        default=list,
        blank=True,
        help_text="The options as shown to readers, in the order of the options. Empty: the options themselves.",
    )
    min_value = models.DecimalField("hard minimum", max_digits=18, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField("hard maximum", max_digits=18, decimal_places=4, null=True, blank=True)
    soft_min = models.DecimalField(
        max_digits=18, decimal_places=4, null=True, blank=True, help_text="Below this, warn the expert."
    )
    soft_max = models.DecimalField(
        max_digits=18, decimal_places=4, null=True, blank=True, help_text="Above this, warn the expert."
    )
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.NEUTRAL)
    cross_check = models.CharField(max_length=15, choices=CrossCheck.choices, blank=True, default="")
    cross_check_with = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    compares_with = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="compares with (earlier version)",
        help_text="The indicator of an earlier catalogue version that this one continues: the report's "
        "progress compares the two. Without it, only an indicator with the same code, kind, unit and "
        "options is compared.",
    )

    history = HistoricalRecords()  # with its language columns: ecei_site.translated.translated_history

    class Meta:
        ordering = ["catalogue", "category__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="indicator_code_unique_in_catalogue"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="indicator_hard_bounds_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.wording}"

    def clean(self):
        if self.compares_with_id and self.compares_with.catalogue_id == self.catalogue_id:
            raise ValidationError({"compares_with": "Choose an indicator of an earlier catalogue version."})

    def option_label(self, option: str) -> str:
        """An option (or part) as the reader sees it: its label in their language, else itself."""
        return dict(self.option_choices()).get(option, option)

    def option_choices(self) -> list[tuple[str, str]]:
        """(option, label) pairs in the reader's language; a label list that does not match the
        options one for one is ignored rather than mislabel an answer."""
        labels = self.option_labels or []
        if len(labels) != len(self.options) or not all(labels):
            return [(option, option) for option in self.options]
        return list(zip(self.options, labels, strict=True))


class EligibilityCriterion(models.Model):
    """One eligibility criterion of a catalogue version (the ECCP validation criteria): data.

    The criteria belong to the catalogue version the interview used, so a later revision
    changes them without touching earlier interviews. `rule` says what counts as met
    (selectors/eligibility.py reads it, once): a number at least `threshold`, at least
    `threshold` kinds of parts above zero, a named `part` above zero or else a fact the
    reviewer recorded, or a fact the reviewer recorded alone.

    What a "kind" is, is data too (`kinds`): the triple helix groups A5's parts into industry
    (SMEs and large companies), research and education, and public bodies (domain.md,
    "Triple helix"); a later catalogue may group them otherwise.
    """

    class Rule(models.TextChoices):
        NUMBER_AT_LEAST = "number_at_least", _("The answer is at least the threshold")
        PARTS_AT_LEAST = "parts_at_least", _("At least the threshold of kinds of parts are above zero")
        PART_OR_FACT = "part_or_fact", _("The named part is above zero, or the recorded fact holds")
        FACT = "fact", _("The fact recorded by the reviewer holds")
        ECCP_VALIDATED = "eccp_validated", _("The ECCP profile and its validation date are recorded")

    class Fact(models.TextChoices):
        """Facts no indicator answers: the reviewer records them on the cluster."""

        NONE = "", _("None")
        ENGLISH_WEBSITE = "english_website", _("English website showing activity")
        PUBLIC_COLLABORATION = "public_collaboration", _("Visible collaboration with public bodies")

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="eligibility_criteria")
    code = models.SlugField(max_length=40)
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    rule = models.CharField(max_length=20, choices=Rule.choices)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="eligibility_criteria"
    )
    threshold = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    part = models.CharField(max_length=100, blank=True, help_text="For 'part or fact': the part (option) counted.")
    kinds = models.JSONField(
        default=list,
        blank=True,
        help_text="For 'kinds of parts': the kinds, each a list of the indicator's parts (options), e.g. "
        '[["SMEs", "large companies"], ["universities", "research institutes"], ["public bodies"]]. '
        "A part in no kind does not count. Empty: each part is a kind of its own.",
    )
    # The kinds as readers see them, in the order of `kinds` (translated, like option labels).
    kind_labels = models.JSONField(
        default=list, blank=True, help_text="The kinds' names, in the order of the kinds: industry, ..."
    )
    fact = models.CharField(max_length=25, choices=Fact.choices, blank=True, default="")

    history = HistoricalRecords()  # with its language columns: ecei_site.translated.translated_history

    class Meta:
        ordering = ["catalogue", "order", "code"]
        verbose_name_plural = "eligibility criteria"
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="eligibility_code_unique_in_catalogue")
        ]

    def __str__(self):
        return f"{self.catalogue.version}/{self.code}: {self.name}"

    def clean(self):
        needs_indicator = {self.Rule.NUMBER_AT_LEAST, self.Rule.PARTS_AT_LEAST, self.Rule.PART_OR_FACT}
        if self.rule in needs_indicator and self.indicator_id is None:
            raise ValidationError({"indicator": "This rule reads an indicator's answer: choose one."})
        if self.indicator_id and self.indicator.catalogue_id != self.catalogue_id:
            raise ValidationError({"indicator": "Choose an indicator of the same catalogue version."})
        if self.rule in {self.Rule.NUMBER_AT_LEAST, self.Rule.PARTS_AT_LEAST} and self.threshold is None:
            raise ValidationError({"threshold": "This rule compares with a threshold: give one."})
        if self.rule in {self.Rule.PART_OR_FACT, self.Rule.FACT} and not self.fact:
            raise ValidationError({"fact": "Name the fact the reviewer records."})
        self._clean_kinds()

    def _clean_kinds(self):
        if not self.kinds:
            return
        if self.rule != self.Rule.PARTS_AT_LEAST:
            raise ValidationError({"kinds": "Only the rule 'kinds of parts' groups parts into kinds."})
        kinds_are_lists = isinstance(self.kinds, list) and all(isinstance(kind, list) and kind for kind in self.kinds)
        if not kinds_are_lists:
            raise ValidationError({"kinds": "Give a list of kinds, each a non-empty list of parts."})
        parts = [part for kind in self.kinds for part in kind]
        if len(parts) != len(set(parts)):
            raise ValidationError({"kinds": "A part belongs to one kind at most."})
        unknown = [part for part in parts if self.indicator_id and part not in self.indicator.options]
        if unknown:
            raise ValidationError({"kinds": f"Not parts of {self.indicator.code}: {', '.join(map(str, unknown))}."})

    def kind_of_part(self) -> dict[str, int]:
        """Each grouped part → the index of its kind; without a grouping each part is its own kind."""
        if not self.kinds:
            return {part: n for n, part in enumerate(self.indicator.options)} if self.indicator_id else {}
        return {part: n for n, kind in enumerate(self.kinds) for part in kind}

    def kind_label(self, index: int) -> str:
        """A kind's name in the reader's language; its parts joined when the names do not match the kinds."""
        labels = self.kind_labels or []
        if self.kinds and len(labels) == len(self.kinds) and labels[index]:
            return labels[index]
        if self.kinds:
            return " + ".join(self.indicator.option_label(part) for part in self.kinds[index])
        return self.indicator.option_label(self.indicator.options[index])
