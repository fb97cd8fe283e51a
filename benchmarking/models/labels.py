"""Labels: the one rule of validity on a day, the label itself, the board's recommendations that
precede it and the renewal reminders sent for it."""

import datetime
import operator

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from benchmarking.awarding import awarding_body
from benchmarking.models.interviews import Interview
from benchmarking.models.silver_gold import GoldAssessment, SilverAudit
from clusters.models import Cluster


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
            # The open data's first and last years (opendata.selectors): MIN/MAX read at an end of
            # each index instead of a scan of every label.
            models.Index(fields=["awarded_on"], name="label_awarded_on"),
            models.Index(fields=["valid_from"], name="label_valid_from"),
            # Today's holders of a level, the report's excellence group (selectors/reports/peers.
            # gold_clusters), read by every report: an index-only scan of the level's running labels
            # instead of every label valid until today, filtered (100,000 clusters: 11-19 ms -> 1 ms).
            models.Index(
                fields=["level", "valid_until", "valid_from"],
                include=["cluster"],
                condition=Q(status="active"),
                name="label_level_running",
            ),
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
