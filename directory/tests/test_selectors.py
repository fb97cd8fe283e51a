import datetime

import pytest

from benchmarking.selectors.public_status import PublicStatus, label_public_status
from directory.selectors import public_clusters
from tests import factories

TODAY = datetime.date(2025, 6, 1)


def add_label(cluster, valid_until, status="active"):
    return factories.LabelFactory(
        cluster=cluster, valid_from=valid_until - datetime.timedelta(days=730), valid_until=valid_until, status=status
    )


@pytest.mark.parametrize(
    "valid_until, status, expected",
    [
        (TODAY, "active", PublicStatus.VALID),
        (TODAY - datetime.timedelta(days=1), "active", PublicStatus.EXPIRED),
        (TODAY + datetime.timedelta(days=300), "suspended", PublicStatus.SUSPENDED),
        (TODAY + datetime.timedelta(days=300), "withdrawn", PublicStatus.WITHDRAWN),
        (TODAY - datetime.timedelta(days=300), "withdrawn", PublicStatus.WITHDRAWN),
    ],
)
def test_it_derives_the_public_status_from_date_and_status(reference_data, valid_until, status, expected):
    label = add_label(factories.ClusterFactory(), valid_until, status)

    assert public_clusters(TODAY).get().public_status == expected
    # The list and the cluster page agree with Label.live_status().
    assert label_public_status(label, TODAY) == expected


def test_a_valid_label_outranks_a_more_recent_withdrawn_one(reference_data):
    """The current label: the highest level valid today, whatever more recent label there is."""
    cluster = factories.ClusterFactory()
    add_label(cluster, TODAY + datetime.timedelta(days=100))
    add_label(cluster, TODAY + datetime.timedelta(days=400), status="withdrawn")
    add_label(cluster, TODAY - datetime.timedelta(days=400))

    listed = public_clusters(TODAY).get()

    assert listed.latest_valid_until == TODAY + datetime.timedelta(days=100)
    assert listed.public_status == PublicStatus.VALID


def test_without_a_valid_label_the_most_recent_one_shows_with_its_status(reference_data):
    cluster = factories.ClusterFactory()
    add_label(cluster, TODAY + datetime.timedelta(days=400), status="withdrawn")
    add_label(cluster, TODAY - datetime.timedelta(days=400))

    listed = public_clusters(TODAY).get()

    assert listed.latest_valid_until == TODAY + datetime.timedelta(days=400)
    assert listed.public_status == PublicStatus.WITHDRAWN


def test_it_lists_each_cluster_once_whatever_its_labels(reference_data):
    for labels in range(4):
        cluster = factories.ClusterFactory()
        for n in range(labels):
            add_label(cluster, datetime.date(2015 + 2 * n, 1, 1))

    assert public_clusters(TODAY).count() == 3
