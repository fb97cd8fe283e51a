"""The named actions of the product: who did what to which object, when, why, with which values."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from activity.actions import action_label


class ActionLog(models.Model):
    """One action, logged by the service that took it in the same transaction (activity.services).

    The object is generic (an interview, a label, a recommendation, a cluster ...); `cluster` is
    set whenever the action concerns a cluster, so that a cluster's timeline, its interviews'
    and labels' actions included, is one indexed query. `object_repr` keeps the object's name
    as it was, and the entry outlives its user and its cluster. Written once, never changed.
    """

    action = models.CharField(max_length=64)  # a code of activity.actions, never renamed
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=200)
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )  # None: the system (a daily job, an import without a person)
    created_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(blank=True)  # whole, as given: never cut

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "action"
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"], name="actionlog_object_time"),
            models.Index(fields=["cluster", "-created_at"], name="actionlog_cluster_time"),
            models.Index(fields=["action", "-created_at"], name="actionlog_action_time"),
            models.Index(fields=["-created_at"], name="actionlog_time"),
            models.Index(fields=["user", "-created_at"], name="actionlog_user_time"),
        ]

    def __str__(self):
        return f"{self.action} · {self.object_repr}"

    @property
    def label(self) -> str:
        return action_label(self.action)
