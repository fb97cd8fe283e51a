"""Reads for the public database of benchmarked clusters.

A cluster is public once it holds at least one label. What the public sees of its labels
is the latest one (by end of validity): its date and whether it is still valid. These
rules live here once; views, filters and exports only ask for them.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Collate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_countries import countries
from django_countries.fields import Country

from benchmarking.models import Label
from clusters.models import Cluster


class PublicStatus:
    """The public state of a cluster's latest label."""

    VALID = "valid"
    UPCOMING = "upcoming"
    EXPIRED = "expired"
    SUSPENDED = Label.Status.SUSPENDED.value
    WITHDRAWN = Label.Status.WITHDRAWN.value

    CHOICES = [
        (VALID, "Valid"),
        (UPCOMING, "Not yet valid"),
        (EXPIRED, "Expired"),
        (SUSPENDED, "Suspended"),
        (WITHDRAWN, "Withdrawn"),
    ]


def _labels_of_outer_cluster() -> QuerySet[Label]:
    return Label.objects.filter(cluster=OuterRef("pk"))


def listed_clusters() -> QuerySet[Cluster]:
    """Clusters that appear in the public database: those with at least one label."""
    return Cluster.objects.filter(Exists(_labels_of_outer_cluster()))


def public_clusters(today: datetime.date | None = None) -> QuerySet[Cluster]:
    """Listed clusters, each annotated with its latest label.

    Annotations: latest_valid_until, latest_label_status (as stored) and public_status
    (one of PublicStatus). A suspended or withdrawn latest label is never "valid", even
    before its date. Otherwise the cluster is "valid" when one of its labels is valid today
    (LabelQuerySet.valid_on, the one definition): a renewal that has not started yet runs
    on seamlessly from the label valid today. Failing that, "expired" after the latest
    label's valid_until, else "upcoming".
    """
    today = today or timezone.localdate()
    # Correlated subqueries on the (cluster, -valid_until) index: one row per cluster,
    # whatever the number of labels, and no GROUP BY that would get in the way of sorting.
    latest = _labels_of_outer_cluster().order_by("-valid_until", "-pk")
    return (
        listed_clusters()
        .select_related("portfolio")
        .annotate(
            latest_valid_until=Subquery(latest.values("valid_until")[:1]),
            latest_label_status=Subquery(latest.values("status")[:1]),
        )
        .annotate(
            public_status=Case(
                When(~Q(latest_label_status=Label.Status.ACTIVE), then=F("latest_label_status")),
                When(Exists(_labels_of_outer_cluster().valid_on(today)), then=Value(PublicStatus.VALID)),
                When(latest_valid_until__lt=today, then=Value(PublicStatus.EXPIRED)),
                default=Value(PublicStatus.UPCOMING),
                output_field=CharField(),
            )
        )
        .order_by(*name_order())
    )


def name_order(descending: bool = False) -> list:
    """Order by the folded name, as the original listing did ("Clúster" next to "Cluster").

    The folded name is compared byte by byte: PostgreSQL's language collations would skip
    spaces and punctuation ("Cluster del" before "Clúster de S"), SQLite never does.
    """
    key = F("name_folded")
    if connection.vendor == "postgresql":
        key = Collate("name_folded", "C")
    key = key.desc() if descending else key.asc()
    return [key, F("pk").desc() if descending else F("pk").asc()]


def _country_name_expression() -> Case:
    """The English country name, so that sorting by country follows what the reader sees."""
    whens = [When(country=code, then=Value(name)) for code, name in countries]
    return Case(*whens, default=F("country"), output_field=CharField())


# The columns the public list can be sorted by.
SORT_KEYS = ("name", "country", "portfolio", "www", "valid_until")


def order_public_clusters(queryset: QuerySet[Cluster], key: str, descending: bool = False) -> QuerySet[Cluster]:
    """Sort by one public column; ties are broken by name so that paging is stable."""
    if key == "name":
        return queryset.order_by(*name_order(descending))
    first = {
        "country": _country_name_expression(),
        "portfolio": F("portfolio__name"),
        "www": F("website"),
        "valid_until": F("latest_valid_until"),
    }[key]
    first = first.desc() if descending else first.asc()
    return queryset.order_by(first, *name_order())


@dataclass(frozen=True)
class Tally:
    key: str
    name: str
    count: int


@dataclass(frozen=True)
class Overview:
    total: int
    valid: int
    countries: list[Tally]
    portfolios: list[Tally]


def overview(today: datetime.date | None = None) -> Overview:
    """Counts for the front page: clusters per country and per comparative portfolio."""
    clusters = public_clusters(today)
    per_country = (
        clusters.order_by()
        .values("country")
        .annotate(n=Count("pk"), n_valid=Count("pk", filter=Q(public_status=PublicStatus.VALID)))
    )
    per_portfolio = listed_clusters().order_by().values("portfolio__slug", "portfolio__name").annotate(n=Count("pk"))
    country_rows = list(per_country)
    return Overview(
        total=sum(row["n"] for row in country_rows),
        valid=sum(row["n_valid"] for row in country_rows),
        countries=sorted(
            (Tally(row["country"], Country(row["country"]).name, row["n"]) for row in country_rows),
            key=lambda t: t.name,
        ),
        portfolios=sorted(
            (Tally(row["portfolio__slug"], row["portfolio__name"], row["n"]) for row in per_portfolio),
            key=lambda t: t.name,
        ),
    )


def listed_countries() -> list[tuple[str, str]]:
    """(code, name) of the countries that have listed clusters, by name: the filter's choices."""
    codes = listed_clusters().order_by().values_list("country", flat=True).distinct()
    return sorted(((code, Country(code).name) for code in codes), key=lambda c: c[1])


def label_public_status(label: Label, today: datetime.date | None = None) -> str:
    """The PublicStatus of one label: Label.live_status() in the public list's words."""
    status = label.live_status(today)
    return PublicStatus.VALID if status == Label.Status.ACTIVE else status


@dataclass(frozen=True)
class PublicLabel:
    label: Label
    public_status: str


@dataclass(frozen=True)
class ClusterPage:
    cluster: Cluster
    labels: list[PublicLabel]

    @property
    def current(self) -> PublicLabel:
        """The label valid today if there is one (a renewal may lie ahead of it), else the latest."""
        return next((item for item in self.labels if item.public_status == PublicStatus.VALID), self.labels[0])


def public_cluster_page(slug: str) -> ClusterPage:
    """A listed cluster and its labels, latest first; 404 for a cluster without a label.

    A cluster that has not been benchmarked yet is not part of the public database, so
    its page does not exist for the public either.
    """
    cluster = get_object_or_404(Cluster.objects.select_related("portfolio"), slug=slug)
    history = cluster.labels.order_by("-valid_until", "-pk")
    labels = [PublicLabel(label, label_public_status(label)) for label in history]
    if not labels:
        raise Http404("This cluster has not been benchmarked.")
    return ClusterPage(cluster=cluster, labels=labels)
