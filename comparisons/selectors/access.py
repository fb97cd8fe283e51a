"""Who may compare for a cluster, on which catalogue versions, and the saved comparisons they
may choose from (a cluster's own and the secretariat's standard groups)."""

from django.db.models import Q
from django.http import Http404

from benchmarking.models import Catalogue, PeerValue
from benchmarking.permissions import is_secretariat
from clusters.models import Cluster


def may_compare(user, cluster: Cluster) -> bool:
    """A cluster's managers and the secretariat (the same people who read its reports, but the expert)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_secretariat(user) or cluster.managers.filter(pk=user.pk).exists()


def get_cluster_for_comparison(user, slug: str) -> Cluster:
    """The cluster `slug` if `user` may compare for it, else 404: whether it exists is not theirs to know."""
    cluster = Cluster.objects.select_related("portfolio").filter(slug=slug).first()
    if cluster is None or not may_compare(user, cluster):
        raise Http404("No such cluster.")
    return cluster


def is_guarded(user) -> bool:
    """Whether rules 2 and 3 (differencing) apply to this reader: everybody but the secretariat."""
    return not is_secretariat(user)


def compared_catalogues(cluster: Cluster) -> list[Catalogue]:
    """The catalogue versions the cluster has an approved benchmarking on, the latest first, each
    with the id of its latest approved interview on it (`compared_interview_id`): read from the
    cluster's member rows in the peer-value store (1 query, its own index), which
    services.peer_values keeps to selectors.reports.peers.latest_approved_interviews."""
    members = PeerValue.objects.filter(cluster=cluster, role=PeerValue.Role.MEMBER)
    rows = dict(members.values_list("catalogue_id", "interview_id"))
    catalogues = list(Catalogue.objects.filter(pk__in=rows).order_by("-published_on", "-pk"))
    for catalogue in catalogues:
        catalogue.compared_interview_id = rows[catalogue.pk]
    return catalogues


def saved_for(cluster: Cluster):
    """The cluster's own saved comparisons and the secretariat's standard groups."""
    from comparisons.models import SavedComparison

    return SavedComparison.objects.filter(Q(cluster=cluster) | Q(cluster__isnull=True)).order_by("cluster_id", "name")


def get_saved_for_cluster(cluster: Cluster, pk) -> "SavedComparison":  # noqa: F821
    from comparisons.models import SavedComparison

    saved = SavedComparison.objects.filter(Q(cluster=cluster) | Q(cluster__isnull=True), pk=pk).first()
    if saved is None:
        raise Http404("No such saved comparison.")
    return saved
