"""Silver audits (the baseline minimum requirements) and Gold assessments (the Gold quality indicators)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from benchmarking.models.catalogue import Indicator
from benchmarking.models.experts import Expert
from clusters.models import Cluster


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
