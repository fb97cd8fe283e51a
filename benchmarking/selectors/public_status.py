"""A label's public status: the public database's words for the state of a cluster's current
label (valid, not yet valid, expired, suspended, withdrawn), read by the cluster directory, the
API and the label verification page.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_noop

from benchmarking.models import Label, current_label
from clusters.models import Cluster


class PublicStatus:
    """The public state of a cluster's current label."""

    VALID = "valid"
    UPCOMING = "upcoming"
    EXPIRED = "expired"
    SUSPENDED = Label.Status.SUSPENDED.value
    WITHDRAWN = Label.Status.WITHDRAWN.value

    # The labels stay English here (the API's schema is data); pages translate them.
    CHOICES = [
        (VALID, gettext_noop("Valid")),
        (UPCOMING, gettext_noop("Not yet valid")),
        (EXPIRED, gettext_noop("Expired")),
        (SUSPENDED, gettext_noop("Suspended")),
        (WITHDRAWN, gettext_noop("Withdrawn")),
    ]


def label_public_status(label: Label, today: datetime.date | None = None) -> str:
    """The PublicStatus of one label: Label.live_status() in the public list's words."""
    status = label.live_status(today)
    return PublicStatus.VALID if status == Label.Status.ACTIVE else status


@dataclass(frozen=True)
class PublicLabel:
    label: Label
    public_status: str


def cluster_current_label(cluster: Cluster, today: datetime.date | None = None) -> PublicLabel | None:
    """The cluster's current label with its public status (for a label's verification page)."""
    today = today or timezone.localdate()
    label = current_label(cluster.labels.all(), today)
    return PublicLabel(label, label_public_status(label, today)) if label else None
