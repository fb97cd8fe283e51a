"""Interviews: the expert's answers, the reviewer's comments, the expert's recommendations, and
the questionnaire in advance (the manager's invitation and proposed answers, issue 16)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from benchmarking.kinds import EMPTY_VALUE, VALUE_COLUMNS
from benchmarking.models.catalogue import Catalogue, Category, Indicator
from benchmarking.models.experts import Expert
from clusters.models import Cluster


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
    def is_past(self) -> bool:
        """The interview's day is behind us (an invitation then speaks of it in the past)."""
        return self.date < timezone.localdate()

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class AnswerValue(models.Model):
    """The value columns of an answer, shared by the expert's Answer and the manager's Proposal.

    The value lives in the column that fits the indicator's kind, so statistics can be
    computed by the database: numbers as numbers, yes/no as booleans, a choice as text,
    several choices as a JSON list, counts and shares as a JSON object of numbers per part.
    Each kind names its column (benchmarking.kinds); every list of the columns reads
    kinds.VALUE_COLUMNS. A kind with a column of its own adds the field here, and a migration.
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
        return bool(self.missing_reason) or any(getattr(self, column) not in (None, "") for column in VALUE_COLUMNS)


def value_or_reason(name: str, columns: dict = EMPTY_VALUE) -> models.CheckConstraint:
    """A reason replaces a value; never both. `columns`: the value columns and their empty values."""
    no_value = {f"{column}__isnull" if empty is None else column: True if empty is None else empty
                for column, empty in columns.items()}  # fmt: skip
    return models.CheckConstraint(condition=Q(missing_reason="") | Q(**no_value), name=name)


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
