"""The benchmarking domain: catalogue, experts, interviews, answers, labels, reports.

The rules that act on these models (validity periods, eligibility, who may do what) live
in `services.py` and `selectors.py`; the models hold data, constraints and small,
intent-named questions about themselves.
"""

import datetime
import operator
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from benchmarking.awarding import awarding_body
from clusters.models import Cluster, ComparativePortfolio
from ecei_site.json_text import JSONTextEncoder

# --- The catalogue -------------------------------------------------------------------


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
    class Kind(models.TextChoices):
        YEAR = "year", _("Year")
        INTEGER = "integer", _("Whole number")
        DECIMAL = "decimal", _("Decimal number")
        PERCENT = "percent", _("Percent")
        MONEY = "money", _("Money (EUR)")
        YES_NO = "yes_no", _("Yes / no")
        CHOICE = "choice", _("One of a list")
        MULTI = "multi", _("Several of a list")
        COUNTS = "counts", _("Counts per part")
        SHARES = "shares", _("Shares per part (sum 100)")


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
    kind = models.CharField(max_length=10, choices=Kind.choices)
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


# --- Experts ---------------------------------------------------------------------------


class Expert(models.Model):
    """An accredited ESCA benchmarking expert."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert")
    accreditation_number = models.CharField(max_length=30, unique=True)
    accredited_from = models.DateField()
    accredited_until = models.DateField()
    country = CountryField()
    languages = models.CharField(max_length=100, blank=True, help_text="For example: English, Spanish")

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accredited_until__gt=models.F("accredited_from")),
                name="expert_accreditation_ends_after_start",
            )
        ]

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()

    def is_accredited_on(self, day: datetime.date) -> bool:
        return self.accredited_from <= day <= self.accredited_until


class ConflictOfInterest(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="conflicts_of_interest")
    reason = models.TextField()
    declared_on = models.DateField(default=datetime.date.today)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "conflicts of interest"
        constraints = [
            models.UniqueConstraint(fields=["expert", "cluster"], name="one_conflict_per_expert_and_cluster")
        ]

    def __str__(self):
        return f"{self.expert} – {self.cluster}"


# --- Interviews and answers ----------------------------------------------------------


class Interview(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned to the expert")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    EDITABLE_STATUSES = {Status.DRAFT, Status.RETURNED}

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        VIDEO = "video", _("Video call")

    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="interviews")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="interviews")
    catalogue = models.ForeignKey(Catalogue, on_delete=models.PROTECT, related_name="interviews")
    date = models.DateField("interview date")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.VIDEO)
    interviewee_name = models.CharField(max_length=200)
    interviewee_role = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # Incremented by every save of answers or status: a save based on an older version is
    # refused instead of silently overwriting someone else's work (optimistic locking).
    version = models.PositiveIntegerField(default=1)
    review_comment = models.TextField(
        blank=True, help_text="The reviewer's general comment when the interview is returned."
    )
    decision_reason = models.TextField(blank=True, help_text="Why it was rejected or reopened.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["cluster", "status", "date"]),
            # The default order, the admin's changelist's (issue 30).
            models.Index(fields=["-date", "-id"], name="interview_date_id"),
        ]

    def __str__(self):
        return f"{self.cluster} – {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("benchmarking:interview_detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class AnswerValue(models.Model):
    """The value columns of an answer, shared by the expert's Answer and the manager's Proposal.

    The value lives in the column that fits the indicator's kind, so statistics can be
    computed by the database: numbers as numbers, yes/no as booleans, a choice as text,
    several choices as a JSON list, counts and shares as a JSON object of numbers per part.
    """

    class MissingReason(models.TextChoices):
        NOT_APPLICABLE = "not_applicable", _("Not applicable")
        UNKNOWN = "unknown", _("Unknown")
        NOT_DISCLOSED = "not_disclosed", _("Not disclosed")

    number = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    boolean = models.BooleanField(null=True, blank=True)
    choice = models.CharField(max_length=200, blank=True)
    selected = models.JSONField(null=True, blank=True, help_text="Multi: the options chosen.")
    parts = models.JSONField(null=True, blank=True, help_text="Counts and shares: a number per part.")
    missing_reason = models.CharField(max_length=20, choices=MissingReason.choices, blank=True)
    comment = models.TextField(blank=True)
    accepted_warnings = models.JSONField(default=list, blank=True, help_text="Warnings the expert saw and confirmed.")

    class Meta:
        abstract = True

    @property
    def is_answered(self) -> bool:
        """A value or a missing-value reason has been given."""
        return bool(self.missing_reason) or any(
            v not in (None, "") for v in (self.number, self.boolean, self.choice, self.selected, self.parts)
        )


def value_or_reason(name: str) -> models.CheckConstraint:
    """A reason replaces a value; never both."""
    return models.CheckConstraint(
        condition=Q(missing_reason="")
        | Q(number__isnull=True, boolean__isnull=True, choice="", selected__isnull=True, parts__isnull=True),
        name=name,
    )


class Answer(AnswerValue):
    """One indicator's answer in one interview, as the expert entered or confirmed it."""

    class Source(models.TextChoices):
        """Where the value came from (issue 16): the manager's proposal, or the expert."""

        ENTERED = "entered", _("Entered by the expert")
        CONFIRMED = "confirmed", _("Proposed by the manager and confirmed")
        CHANGED = "changed", _("Proposed by the manager, changed by the expert")

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="answers")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENTERED)
    review_comment = models.TextField(
        blank=True, help_text="The reviewer's current comment on this answer (its log: ReviewComment)."
    )
    updated_at = models.DateTimeField(default=timezone.now)

    # The reviewer's comment is not part of the answer's history: it is no change of the
    # expert's answer. ReviewComment records each comment with its author.
    history = HistoricalRecords(excluded_fields=["updated_at", "review_comment"])

    class Meta:
        ordering = ["indicator__category__order", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "indicator"], name="one_answer_per_indicator"),
            value_or_reason("answer_value_or_missing_reason"),
        ]

    def __str__(self):
        return f"{self.interview} / {self.indicator.code}"


class ReviewComment(models.Model):
    """A reviewer's comment on one answer, as written when the interview was returned.

    An entry per comment written, changed or cleared (empty text): the comments' history,
    kept apart from the answer's, so that it never reads as a change of the expert's answer.
    """

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="review_comments")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self):
        return f"{self.interview} / {self.indicator.code}: {self.text[:60]}"


class ExpertRecommendation(models.Model):
    """The expert's (or reviewer's) own recommendation for one category of an interview."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="recommendations")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["category__order"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "category"], name="one_recommendation_per_category")
        ]

    def __str__(self):
        return f"{self.interview} / {self.category.code}"


# --- The questionnaire in advance (issue 16) ----------------------------------------------


class ManagerInvitation(models.Model):
    """The expert's invitation to the cluster's manager to pre-fill the interview's questionnaire.

    The link's token is kept only as its SHA-256 hash; resending replaces it (the old link
    dies). Accepting links the manager's account to this interview only. `version` guards the
    manager's saves as Interview.version guards the expert's.
    """

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="questionnaire_invitations",
    )  # fmt: skip
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview"], condition=Q(revoked_at__isnull=True), name="one_live_invitation_per_interview"
            )
        ]

    def __str__(self):
        return f"{self.email} – {self.interview}"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        """Expired from the very instant of `expires_at` on."""
        return (now or timezone.now()) >= self.expires_at


class Proposal(AnswerValue):
    """The manager's proposed answer to one indicator: kept apart from Answer, so that it never
    reaches submission, statistics, reports or peer data until the expert confirms it."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="proposals")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["indicator__category__order", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "indicator"], name="one_proposal_per_indicator"),
            value_or_reason("proposal_value_or_missing_reason"),
        ]

    def __str__(self):
        return f"{self.interview} / {self.indicator.code} (proposed)"

    # The step forms read an answer's reviewer comment; a proposal never has one.
    review_comment = ""


# --- Silver audits and Gold assessments ------------------------------------------------


class BaselineRequirementSet(models.Model):
    """A version of the "European Cluster Excellence Baseline: Minimum Requirements" (data).

    A Silver audit checks every requirement of the set that was current on its day; once an
    audit used a set its requirements are fixed (the admin makes them read-only), a revision
    is a new version.
    """

    version = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    published_on = models.DateField()
    is_active = models.BooleanField(
        default=False, help_text="In use. New audits check the latest published active set."
    )

    history = HistoricalRecords()  # with its language columns: ecei_site.translated.translated_history

    class Meta:
        ordering = ["-published_on"]

    def __str__(self):
        return f"Baseline minimum requirements v{self.version}: {self.title}"


class BaselineRequirement(models.Model):
    """One minimum requirement; a Silver label needs every one of them met."""

    requirement_set = models.ForeignKey(BaselineRequirementSet, on_delete=models.CASCADE, related_name="requirements")
    code = models.CharField(max_length=10)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    evidence = models.TextField(blank=True, help_text="What the auditor looks at to check it.")

    history = HistoricalRecords()  # with its language columns: ecei_site.translated.translated_history

    class Meta:
        ordering = ["requirement_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["requirement_set", "code"], name="baseline_requirement_code_unique_in_set")
        ]

    def __str__(self):
        return f"{self.code} {self.text}"


class SilverAudit(models.Model):
    """The half-day on-site audit that, with a second benchmarking, can earn Silver.

    `passed` is computed: every baseline requirement met (services/silver_gold.baseline_refusal).
    """

    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="silver_audits")
    # An accredited expert of the system (services/people.silver_auditor_refusal).
    auditor = models.ForeignKey(Expert, on_delete=models.PROTECT, null=True, blank=True, related_name="silver_audits")
    # The auditor's name as typed before auditors were experts in the system (older records only).
    auditor_name = models.CharField(max_length=200, blank=True)
    audited_on = models.DateField()
    passed = models.BooleanField(help_text="Every baseline requirement met (computed).")
    requirement_set = models.ForeignKey(
        BaselineRequirementSet, on_delete=models.PROTECT, null=True, blank=True, related_name="audits",
        help_text="Empty only for audits recorded before the baseline requirements were data.",
    )  # fmt: skip
    report = models.TextField("audit report", blank=True, help_text="The auditor's short report.")
    improvement_areas = models.ManyToManyField(Indicator, through="ImprovementArea", related_name="+", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-audited_on"]

    def __str__(self):
        return f"Silver audit of {self.cluster} on {self.audited_on}"

    @property
    def auditor_display(self) -> str:
        """The auditor as a reader sees them: the expert, else the name recorded earlier."""
        return str(self.auditor) if self.auditor_id else self.auditor_name


class ImprovementArea(models.Model):
    audit = models.ForeignKey(SilverAudit, on_delete=models.CASCADE, related_name="areas")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "indicator"], name="one_area_per_indicator")]

    def __str__(self):
        return f"{self.indicator.code}: {self.description[:60]}"


class RequirementCheck(models.Model):
    """The auditor's finding on one baseline requirement: met or not, with a note."""

    audit = models.ForeignKey(SilverAudit, on_delete=models.CASCADE, related_name="checks")
    requirement = models.ForeignKey(BaselineRequirement, on_delete=models.PROTECT, related_name="checks")
    met = models.BooleanField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["requirement__order", "requirement__code"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "requirement"], name="one_check_per_requirement"),
            models.CheckConstraint(condition=Q(met=True) | ~Q(note=""), name="unmet_requirement_has_note"),
        ]

    def __str__(self):
        return f"{self.requirement.code}: {'met' if self.met else 'not met'}"


class AuditRecommendation(models.Model):
    """One recommendation of the auditor's report, in the auditor's words."""

    audit = models.ForeignKey(SilverAudit, on_delete=models.CASCADE, related_name="recommendations")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["audit", "order"]
        constraints = [models.UniqueConstraint(fields=["audit", "order"], name="one_recommendation_per_position")]

    def __str__(self):
        return self.text[:60]


class GoldIndicatorSet(models.Model):
    """A version of the Gold quality indicators (revised in 2020): data, like the catalogue.

    Once an assessment used a set, its indicators and thresholds are fixed (the admin makes
    them read-only); a revision is a new version.
    """

    version = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    published_on = models.DateField()
    is_active = models.BooleanField(
        default=False, help_text="New assessments use the active set. Only one may be active."
    )

    history = HistoricalRecords()  # with its language columns: ecei_site.translated.translated_history

    class Meta:
        ordering = ["-published_on"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_gold_set")
        ]

    def __str__(self):
        return f"Gold indicators v{self.version}: {self.title}"


class GoldIndicator(models.Model):
    """One Gold quality indicator, scored 0–100 %, with the threshold it must reach."""

    indicator_set = models.ForeignKey(GoldIndicatorSet, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=10)
    order = models.PositiveSmallIntegerField(default=0)
    area = models.CharField(max_length=100, help_text="The group the indicator belongs to.")
    wording = models.CharField(max_length=300)
    threshold = models.DecimalField(max_digits=5, decimal_places=2, help_text="The minimum score (percent) for Gold.")
    weight = models.DecimalField(
        max_digits=5, decimal_places=2, default=1, help_text="Its weight in the overall score."
    )

    history = HistoricalRecords()  # with its language columns: ecei_site.translated.translated_history

    class Meta:
        ordering = ["indicator_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "code"], name="gold_indicator_code_unique_in_set"),
            models.CheckConstraint(condition=Q(threshold__gte=0, threshold__lte=100), name="gold_threshold_is_percent"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="gold_weight_positive"),
        ]

    def __str__(self):
        return f"{self.code} {self.wording}"


class GoldAssessment(models.Model):
    """The assessment on the Gold quality indicators by two experts.

    `overall_score` and `passed` are computed from the scores per indicator
    (services/silver_gold.gold_result), never typed.
    """

    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="gold_assessments")
    indicator_set = models.ForeignKey(
        GoldIndicatorSet, on_delete=models.PROTECT, related_name="assessments", null=True, blank=True,
        help_text="Empty only for assessments recorded before the indicator sets existed.",
    )  # fmt: skip
    # Two accredited experts of the system (services/silver_gold.gold_assessors_refusal).
    first_assessor = models.ForeignKey(
        Expert, on_delete=models.PROTECT, null=True, blank=True, related_name="gold_assessments_first"
    )
    second_assessor = models.ForeignKey(
        Expert, on_delete=models.PROTECT, null=True, blank=True, related_name="gold_assessments_second"
    )
    # The assessors' names as typed before they were experts in the system (older records only).
    first_assessor_name = models.CharField(max_length=200, blank=True)
    second_assessor_name = models.CharField(max_length=200, blank=True)
    assessed_on = models.DateField()
    overall_score = models.DecimalField(max_digits=5, decimal_places=2, help_text="Percent, 0–100 (computed).")
    passed = models.BooleanField(help_text="Every quality indicator at or above its threshold (computed).")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall_score__gte=0, overall_score__lte=100), name="gold_score_is_percent"
            ),
            models.CheckConstraint(
                condition=~Q(first_assessor=models.F("second_assessor")), name="gold_assessors_differ"
            ),
        ]

    def __str__(self):
        return f"Gold assessment of {self.cluster} on {self.assessed_on}"

    @property
    def assessor_names(self) -> list[str]:
        """The two assessors as a reader sees them: the experts, else the names recorded earlier."""
        return [
            str(expert) if expert else name
            for expert, name in (
                (self.first_assessor, self.first_assessor_name),
                (self.second_assessor, self.second_assessor_name),
            )
        ]


class GoldScore(models.Model):
    """The score of one Gold indicator in one assessment."""

    assessment = models.ForeignKey(GoldAssessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(GoldIndicator, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(max_digits=5, decimal_places=2, help_text="Percent, 0–100.")

    class Meta:
        ordering = ["indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="one_score_per_gold_indicator"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="gold_indicator_score_is_percent"),
        ]

    def __str__(self):
        return f"{self.indicator.code}: {self.score} %"

    @property
    def meets_threshold(self) -> bool:
        return self.score >= self.indicator.threshold


# --- Labels ----------------------------------------------------------------------------


def label_validity(day: datetime.date, prefix: str = "") -> dict:
    """The one definition of "valid on a day": active, and `day` within valid_from..valid_until.

    Written as ORM lookups so that SQL (LabelQuerySet.valid_on) and Python (Label.is_valid)
    evaluate the very same conditions. `prefix` names the same three facts elsewhere: the
    public list reads them from the cluster's label_status/label_valid_from/label_valid_until.
    """
    return {
        f"{prefix}status": Label.Status.ACTIVE,
        f"{prefix}valid_from__lte": day,
        f"{prefix}valid_until__gte": day,
    }


_PYTHON_LOOKUPS = {"exact": operator.eq, "lte": operator.le, "gte": operator.ge}


def satisfies(obj, lookups: dict) -> bool:
    """`lookups` (field__op: value, as in filter()) evaluated on one object in Python."""
    for lookup, value in lookups.items():
        field, _, op = lookup.partition("__")
        if not _PYTHON_LOOKUPS[op or "exact"](getattr(obj, field), value):
            return False
    return True


class LabelQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Labels valid on `day` (label_validity in SQL)."""
        return self.filter(**label_validity(day))

    def expired_on(self, day: datetime.date):
        return self.filter(valid_until__lt=day)

    def upcoming_on(self, day: datetime.date):
        """Active renewals whose period has not started on `day`."""
        return self.filter(status=Label.Status.ACTIVE, valid_from__gt=day)


class Label(models.Model):
    class Level(models.TextChoices):
        BRONZE = "bronze", _("Bronze")
        SILVER = "silver", _("Silver")
        GOLD = "gold", _("Gold")

    LEVEL_NAMES = {
        Level.BRONZE: "Striving for Cluster Excellence",
        Level.SILVER: "Dedicated to Cluster Excellence",
        Level.GOLD: "Cluster Management Excellence",
    }

    class Status(models.TextChoices):
        """The status set by the secretariat. "Expired" is never stored: see live_status()."""

        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        INTERVIEW = "interview", _("Approved interview")
        IMPORT = "import", _("Imported from the earlier database")
        AUDIT = "audit", _("Silver audit")
        ASSESSMENT = "assessment", _("Gold assessment")

    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="labels")
    level = models.CharField(max_length=6, choices=Level.choices, default=Level.BRONZE)
    code = models.CharField(max_length=20, unique=True)
    benchmarked_on = models.DateField(help_text="Date of the interview, audit or assessment behind the label.")
    awarded_on = models.DateField()
    valid_from = models.DateField()
    valid_until = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.TextField(blank=True)
    status_changed_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.INTERVIEW)
    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, null=True, blank=True, related_name="labels")
    silver_audit = models.ForeignKey(
        SilverAudit, on_delete=models.PROTECT, null=True, blank=True, related_name="labels"
    )
    gold_assessment = models.ForeignKey(
        GoldAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="labels"
    )
    renews = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewals")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    objects = LabelQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_until"]
        indexes = [
            models.Index(fields=["cluster", "-valid_until"]),
            # The default order with the admin's tie-break, the changelist's (issue 30).
            models.Index(fields=["-valid_until", "-id"], name="label_valid_until_id"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("valid_from")), name="label_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(source="interview") | Q(interview__isnull=False),
                name="interview_label_has_interview",
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.code}"

    def get_absolute_url(self):
        return reverse("benchmarking:label_public", kwargs={"code": self.code})

    @property
    def level_name(self) -> str:
        return self.LEVEL_NAMES[self.level]

    @property
    def awarding_body(self):
        """Who awarded it: the body of the day of the award (benchmarking.awarding)."""
        return awarding_body(self.awarded_on)

    def is_expired(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.valid_until

    def is_valid(self, today: datetime.date | None = None) -> bool:
        """Valid on `today` (label_validity in Python)."""
        return satisfies(self, label_validity(today or timezone.localdate()))

    def live_status(self, today: datetime.date | None = None) -> str:
        """What the public verification shows: active (valid today), suspended, withdrawn,
        expired, or upcoming (a renewal whose period has not started yet)."""
        return label_live_status(self, today or timezone.localdate())


def label_live_status(label, day: datetime.date) -> str:
    """Label.live_status on `day`, from the label's fields alone (a migration's models have no methods)."""
    if satisfies(label, label_validity(day)):
        return "active"
    if label.status != Label.Status.ACTIVE:
        return label.status
    return "expired" if day > label.valid_until else "upcoming"


# --- A cluster's current label ----------------------------------------------------------

# Higher is better: a cluster's current label is its highest level valid today.
LEVEL_RANK = {Label.Level.BRONZE: 1, Label.Level.SILVER: 2, Label.Level.GOLD: 3}


def most_recent(labels: Iterable) -> object | None:
    """The most recent of `labels`: the latest end of validity, then the latest recorded."""
    return max(labels, key=lambda label: (label.valid_until, label.pk), default=None)


def current_label(labels: Iterable, day: datetime.date):
    """The one rule for a cluster's current label on `day` (domain.md, "A cluster's current label").

    The highest level valid on `day` (between two of one level, the most recent); when none
    is valid, the most recent label, with that label's own status (suspended, withdrawn,
    expired, or upcoming). None for a cluster without labels. Every public surface shows this
    label: the list, its filters and counts read it from CurrentLabelPeriod (current_label_on,
    the same rule kept as SQL-readable facts by services/label_facts.py), the cluster page,
    the verification page and the certificate compute it here.
    """
    labels = list(labels)
    valid = [label for label in labels if satisfies(label, label_validity(day))]
    if valid:
        top = max(LEVEL_RANK[label.level] for label in valid)
        return most_recent(label for label in valid if LEVEL_RANK[label.level] == top)
    return most_recent(labels)


def current_label_on(day: datetime.date, prefix: str = "") -> dict:
    """The period of CurrentLabelPeriod that holds on `day`: current_label in SQL, as lookups.

    A cluster with labels has exactly one such period on every day. `prefix` reaches the
    periods from elsewhere (the public list: "current_label_periods__").
    """
    return {f"{prefix}starts_on__lte": day, f"{prefix}ends_on__gte": day}


class CurrentLabelPeriod(models.Model):
    """A run of days over which a cluster's current label (and its public status) stays the same.

    current_label depends on the day: a label starts, ends, a higher one becomes valid. So the
    public list cannot keep "the current label" in a column; it keeps the cluster's timeline
    instead, computed from its labels by the one rule (services/label_facts.py, refreshed in the
    same transaction as every label change): consecutive periods from date.min to date.max,
    so that on any day one indexed join gives the current label, its status and its end.
    """

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="current_label_periods")
    starts_on = models.DateField()
    ends_on = models.DateField()
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="+")
    # The label's public status over the period (clusters.selectors.PublicStatus) and its end
    # of validity, copied here so that the list filters and sorts without reading the label.
    status = models.CharField(max_length=10)
    valid_until = models.DateField()

    class Meta:
        # Periods ending on or after today are few (the current one and those ahead): the selective side.
        indexes = [models.Index(fields=["ends_on", "starts_on"], name="current_label_period_days")]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "starts_on"], name="one_current_label_period_per_start"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.cluster_id}: {self.label_id} {self.status} {self.starts_on}..{self.ends_on}"


class LabelRecommendation(models.Model):
    """The secretariat's recommendation of a label, waiting for the EUCLES board's decision.

    Every label the rules award (Bronze from an approved interview, Silver from an audit,
    Gold from an assessment) is recommended first (services/board.label_recommend); the
    label row exists only once the board approved (services/board.board_decide), so every
    public page, the API, the exports and the label facts show decided labels only.
    The decision date is the award date; validity still runs from the benchmarking date.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the board")
        APPROVED = "approved", _("Approved by the board")
        DECLINED = "declined", _("Declined by the board")
        WITHDRAWN = "withdrawn", _("Withdrawn before the board decided")

    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="label_recommendations")
    level = models.CharField(max_length=6, choices=Label.Level.choices)
    source = models.CharField(max_length=10, choices=Label.Source.choices)
    benchmarked_on = models.DateField(help_text="Date of the interview, audit or assessment behind it.")
    interview = models.ForeignKey(
        Interview, on_delete=models.PROTECT, null=True, blank=True, related_name="label_recommendations"
    )
    silver_audit = models.ForeignKey(
        SilverAudit, on_delete=models.PROTECT, null=True, blank=True, related_name="label_recommendations"
    )
    gold_assessment = models.ForeignKey(
        GoldAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="label_recommendations"
    )
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommended_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_on = models.DateField("board decision date", null=True, blank=True)
    meeting = models.CharField(
        "board meeting", max_length=120, blank=True, help_text="The meeting's name or reference."
    )
    decision_note = models.TextField(blank=True, help_text="Why the board declined, or a note.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    label = models.OneToOneField(Label, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendation")

    history = HistoricalRecords()

    class Meta:
        ordering = ["recommended_at", "pk"]
        # The default order, the admin's changelist's (issue 30).
        indexes = [models.Index(fields=["recommended_at", "id"], name="recommendation_time_id")]
        permissions = [("decide_label", "Can decide on label recommendations (EUCLES board)")]
        constraints = [
            models.UniqueConstraint(
                fields=["interview"],
                condition=Q(status="pending"),
                name="one_pending_recommendation_per_interview",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(status="withdrawn") | Q(decided_on__isnull=False),
                name="board_decision_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(label__isnull=False), name="approved_recommendation_has_label"
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()} for {self.cluster} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class LabelReminder(models.Model):
    """A renewal reminder that was sent, so that the daily job never sends it twice."""

    class Kind(models.TextChoices):
        SIX_MONTHS = "6m", _("6 months before expiry")
        THREE_MONTHS = "3m", _("3 months before expiry")
        GRACE = "grace", _("In the renewal grace year")

    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["label", "kind"], name="one_reminder_per_kind")]

    def __str__(self):
        return f"{self.label.code}: {self.get_kind_display()}"


# --- Reports ---------------------------------------------------------------------------


class RecommendationRule(models.Model):
    """A rule that turns a cluster's standing into a recommendation (editable data)."""

    class Group(models.TextChoices):
        PORTFOLIO = "portfolio", _("Same comparative portfolio")
        COUNTRY = "country", _("Same country")
        ALL = "all", _("All benchmarked clusters")
        EXCELLENCE = "excellence", _("Excellence group (Gold)")

    class Condition(models.TextChoices):
        BELOW_PERCENTILE = "below_percentile", _("Below a percentile of the group")
        ABOVE_PERCENTILE = "above_percentile", _("Above a percentile of the group")
        BELOW_VALUE = "below_value", _("Below a value")
        ABOVE_VALUE = "above_value", _("Above a value")
        ANSWER_IS = "answer_is", _("A specific answer")

    class Serves(models.TextChoices):
        SILVER = "silver", _("Silver requirement")
        GOLD = "gold", _("Gold requirement")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="recommendation_rules")
    condition = models.CharField(max_length=20, choices=Condition.choices)
    group = models.CharField(max_length=12, choices=Group.choices, default=Group.PORTFOLIO, blank=True)
    threshold = models.DecimalField(
        max_digits=18, decimal_places=4, null=True, blank=True, help_text="The percentile (0–100) or the value."
    )
    answer = models.CharField(max_length=200, blank=True, help_text="For 'a specific answer'.")
    text = models.TextField()
    serves = models.CharField(max_length=6, choices=Serves.choices, default=Serves.SILVER)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()  # with its language columns: ecei_site.translated.translated_history

    class Meta:
        ordering = ["indicator__category__order", "indicator__order", "id"]

    def __str__(self):
        return f"{self.indicator.code}: {self.get_condition_display()}"


class Report(models.Model):
    """An issued individual benchmarking report: a snapshot that never changes."""

    code = models.CharField(max_length=24, unique=True)
    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField(default=1)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # JSONTextEncoder: a bulk issue hands over snapshots its workers already encoded (ecei_site.json_text).
    snapshot = models.JSONField(
        encoder=JSONTextEncoder, help_text="Groups, statistics and recommendations as issued (in English)."
    )
    # The same snapshot written in the other languages, built at issue from the same inputs:
    # a reader in Spanish sees the numbers a reader in English sees.
    translations = models.JSONField(
        encoder=JSONTextEncoder,
        default=dict,
        blank=True,
        help_text='The snapshot in each other language, e.g. {"de": {...}}.',
    )

    # The document itself, about 270 KB in three languages: a list of reports leaves it out (defer).
    DOCUMENT_FIELDS = ("snapshot", "translations")

    class Meta:
        ordering = ["-issued_at"]
        # The default order with the admin's tie-break, the changelist's (issue 30).
        indexes = [models.Index(fields=["-issued_at", "-id"], name="report_issued_id")]
        constraints = [
            models.UniqueConstraint(fields=["interview", "version"], name="one_report_per_interview_version")
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("benchmarking:report", kwargs={"code": self.code})

    @property
    def awarding_body(self):
        """The body that awards the labels, on the day the report was issued (benchmarking.awarding)."""
        return awarding_body(timezone.localdate(self.issued_at))

    def snapshot_in(self, language: str) -> dict:
        """The snapshot in `language` ("de", "de-at"); English for reports issued before translations."""
        return self.translations.get(language.split("-")[0]) or self.snapshot


class PeerValue(models.Model):
    """A comparable value of a cluster's latest approved interview on a catalogue version, stored
    with the keys of the report's comparison groups (catalogue, indicator, portfolio, country).

    Kept by benchmarking.services.peer_values.peer_values_refresh in the same transaction as
    every change that moves a cluster's latest approved interview (approval, reopening, the
    legacy import, seed_demo) or its portfolio or country (the cluster admin and its import).
    A report reads the groups summed up (PeerGroupValues) and here only a few clusters' rows. The
    excellence group is not a column: holding a valid Gold label changes with the day, so it
    is read from the labels by the one validity rule when a report is issued.
    """

    class Role(models.TextChoices):
        MEMBER = "member", "member of the groups (one row per cluster and catalogue)"
        NUMBER = "number", "a number series: the answer, a part, or a part's share"
        OPTION = "option", "an option chosen (yes/no, one or several of a list)"
        ANSWERED = "answered", "an option indicator answered (several of a list may choose none)"

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="+")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+", db_index=False)
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="+")
    portfolio = models.ForeignKey(ComparativePortfolio, on_delete=models.CASCADE, related_name="+", db_index=False)
    country = models.CharField(max_length=2)
    role = models.CharField(max_length=8, choices=Role.choices)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, null=True, related_name="+")
    series = models.CharField(max_length=210, blank=True, help_text="The number series or the option.")
    number = models.FloatField(null=True)

    class Meta:
        indexes = [
            # A cluster's own rows; the excellence group's rows (a few hundred clusters) by cluster.
            # No index by group: reports read the groups summed up (PeerGroupValues), and their
            # rebuild reads a catalogue's rows in one pass; each index slows every row's insert.
            models.Index(
                fields=["cluster", "catalogue", "role", "indicator", "series", "number"], name="peer_cluster"
            ),
        ]

    def __str__(self):
        return f"{self.cluster_id} {self.indicator_id} {self.series} {self.number}"


def new_group_version() -> str:
    return uuid.uuid4().hex


class PeerGroupValues(models.Model):
    """One comparison group's values on a catalogue version, summed up from its members'
    PeerValue rows and kept between reports: every number series sorted (float64), the options
    counted, and the member clusters. A report reads its four groups in one query instead of
    some 460,000 rows at 10,000 clusters.

    Kept in place by benchmarking.services.peer_values.peer_values_refresh, in the same
    transaction as the PeerValue rows it sums up. The excellence group (a valid Gold label)
    changes with the day: the refresh reconciles it with today's Gold holders, and a report
    issued later applies the difference for its own day without writing.
    """

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=RecommendationRule.Group.choices)
    key = models.CharField(max_length=20, blank=True, help_text="The portfolio's id or the country; empty for all.")
    size = models.PositiveIntegerField(default=0)
    members = models.BinaryField(default=bytes, help_text="The member clusters' ids, sorted (int64).")
    series = models.JSONField(default=list, help_text="[indicator id, series, how many] of each run in numbers.")
    numbers = models.BinaryField(
        default=bytes, help_text="Each series' numbers sorted (float64), one after another, zlib-compressed."
    )
    options = models.JSONField(default=dict, help_text="indicator id -> [clusters answering, {option: count}].")
    outside = models.BinaryField(
        default=bytes,
        help_text="Excellence group: the Gold holders without values on this catalogue when it was last "
        "brought to the day's Gold holders (int64), which a report need not look for again.",
    )
    # Issue 30: new at every write (a row is replaced, never changed in place), so a process keeps
    # the groups it decoded under it (selectors.reports.stored_groups.read_stored_groups) and reads
    # the arrays again only when a refresh has written new ones. Random, not a counter: a write
    # rolled back never hands its number to different values.
    version = models.CharField(max_length=32, default=new_group_version, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["catalogue", "kind", "key"], name="peer_group_unique")]

    def __str__(self):
        return f"{self.catalogue_id} {self.kind} {self.key} ({self.size})"


__all__ = [
    "Answer",
    "Catalogue",
    "Category",
    "Cluster",
    "ComparativePortfolio",
    "ConflictOfInterest",
    "EligibilityCriterion",
    "Expert",
    "AuditRecommendation",
    "BaselineRequirement",
    "BaselineRequirementSet",
    "ExpertRecommendation",
    "GoldAssessment",
    "GoldIndicator",
    "GoldIndicatorSet",
    "GoldScore",
    "ImprovementArea",
    "Indicator",
    "Interview",
    "Label",
    "LabelRecommendation",
    "LabelReminder",
    "ManagerInvitation",
    "PeerGroupValues",
    "PeerValue",

    "Proposal",
    "RecommendationRule",
    "Report",
    "RequirementCheck",
    "ReviewComment",
    "SilverAudit",
]
