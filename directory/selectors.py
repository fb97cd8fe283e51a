"""Reads for the public database of benchmarked clusters.

A cluster is public once it holds at least one label. What the public sees of its labels
is its current label (benchmarking.models.current_label: the highest level valid today, else
the most recent label with its status): its end of validity and its status. These rules live
here once; views, filters and exports only ask for them.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Collate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django_countries.fields import Country

from benchmarking.models import current_label, current_label_on, satisfies
from benchmarking.selectors.public_status import PublicLabel, PublicStatus, label_public_status
from clusters.models import Cluster
from ecei_site.translated import localized

# The overview is recomputed after any change anyway; this only bounds the cache's size.
OVERVIEW_CACHE_SECONDS = 24 * 3600


# The path from a cluster to its timeline of current labels (benchmarking.models.CurrentLabelPeriod).
PERIODS = "current_label_periods__"


def status_filter(status: str) -> Q:
    """The clusters whose current label has this public status (on public_clusters' day)."""
    return Q(public_status=status)


def listed_clusters() -> QuerySet[Cluster]:
    """Clusters that appear in the public database: those with at least one label."""
    return Cluster.objects.filter(label_valid_until__isnull=False)


def public_clusters(today: datetime.date | None = None) -> QuerySet[Cluster]:
    """Listed clusters, each annotated with its current label on `today` (models.current_label).

    Annotations: public_status (one of PublicStatus: the current label's status), latest_valid_until
    (the current label's end of validity) and current_label_id. A cluster holding a valid Gold
    and a suspended Bronze is "valid" until the Gold's end, whichever label is more recent.

    One join with the cluster's timeline (the one period that holds on `today`, kept by the
    label services), so a page of the list costs about the same whatever the number of labels.
    The annotations name that one join: filter and order by them, not by the relation again.
    """
    today = today or timezone.localdate()
    return (
        Cluster.objects.filter(**current_label_on(today, prefix=PERIODS))
        .select_related("portfolio")
        .annotate(
            latest_valid_until=F(PERIODS + "valid_until"),
            public_status=F(PERIODS + "status"),
            current_label_id=F(PERIODS + "label_id"),
        )
        .order_by(*name_order())
    )


def cluster_public_status(cluster: Cluster, today: datetime.date | None = None) -> str | None:
    """The PublicStatus of one cluster from its stored timeline, in Python (the list's rule)."""
    today = today or timezone.localdate()
    holding = [p for p in cluster.current_label_periods.all() if satisfies(p, current_label_on(today))]
    return holding[0].status if holding else None


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


# The columns the public list can be sorted by.
SORT_KEYS = ("name", "country", "portfolio", "www", "valid_until")


def order_public_clusters(queryset: QuerySet[Cluster], key: str, descending: bool = False) -> QuerySet[Cluster]:
    """Sort by one public column; ties are broken by name so that paging is stable."""
    if key == "name":
        return queryset.order_by(*name_order(descending))
    first = {
        "country": F("country_name"),
        "portfolio": localized("portfolio__name"),
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
    """Counts for the front page: clusters per country and per comparative portfolio.

    Counting every listed cluster on each request would grow with the database, so the
    counts are kept in the cache under the day (validity changes with it) and the latest
    change to any cluster (the label services touch the cluster they change): one indexed
    MAX() per request, and a recount only after a change.
    """
    today = today or timezone.localdate()
    # Country and portfolio names are in the reader's language: one entry per language.
    key = f"clusters.overview.{get_language()}.{today.isoformat()}.{public_list_version()}"
    return cache.get_or_set(key, lambda: _count_overview(today), timeout=OVERVIEW_CACHE_SECONDS)


def public_list_version() -> str:
    """The version of what the public list shows, for what is kept between requests (the
    overview's counts, the list's order: ecei_site.paging.SeekPaginator): the latest change to
    any cluster (the label services touch the cluster they change) and the newest cluster, one
    indexed MAX() each. The day is not in it: those who keep something per day say so."""
    last = Cluster.objects.aggregate(changed=Max("updated_at"), pk=Max("pk"))
    changed = last["changed"].timestamp() if last["changed"] else 0
    return f"{changed}.{last['pk']}"


def _count_overview(today: datetime.date) -> Overview:
    rows = list(
        public_clusters(today)
        .order_by()
        .values("country", "portfolio__slug", portfolio_name=localized("portfolio__name"))
        .annotate(n=Count("pk"), n_valid=Count("pk", filter=status_filter(PublicStatus.VALID)))
    )
    per_country, per_portfolio = Counter(), Counter()
    for row in rows:
        per_country[row["country"]] += row["n"]
        per_portfolio[row["portfolio__slug"], row["portfolio_name"]] += row["n"]
    return Overview(
        total=sum(row["n"] for row in rows),
        valid=sum(row["n_valid"] for row in rows),
        countries=sorted((Tally(code, Country(code).name, n) for code, n in per_country.items()), key=lambda t: t.name),
        portfolios=sorted((Tally(slug, name, n) for (slug, name), n in per_portfolio.items()), key=lambda t: t.name),
    )


def listed_countries() -> list[tuple[str, str]]:
    """(code, name) of the countries that have listed clusters, by name: the filter's choices."""
    return [(tally.key, tally.name) for tally in overview().countries]


@dataclass(frozen=True)
class ClusterPage:
    cluster: Cluster
    labels: list[PublicLabel]
    today: datetime.date

    @property
    def current(self) -> PublicLabel:
        """The cluster's current label (models.current_label), with its public status."""
        label = current_label((item.label for item in self.labels), self.today)
        return next(item for item in self.labels if item.label is label)


def public_cluster_page(slug: str, today: datetime.date | None = None) -> ClusterPage:
    """A listed cluster and its labels, latest first; 404 for a cluster without a label.

    A cluster that has not been benchmarked yet is not part of the public database, so
    its page does not exist for the public either.
    """
    cluster = get_object_or_404(Cluster.objects.select_related("portfolio"), slug=slug)
    today = today or timezone.localdate()
    history = cluster.labels.order_by("-valid_until", "-pk")
    labels = [PublicLabel(label, label_public_status(label, today)) for label in history]
    if not labels:
        raise Http404("This cluster has not been benchmarked.")
    return ClusterPage(cluster=cluster, labels=labels, today=today)
