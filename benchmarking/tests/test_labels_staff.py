"""The secretariat's label screens: status changes with a reason, a cluster's complete history, the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking.models import Label
from tests.factories import ClusterFactory, LabelFactory

D = datetime.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_suspend_then_reinstate_then_withdraw(staff_client, reference_data, staff_user):
    label = LabelFactory(valid_until="2999-01-01")
    for action, status in [("suspend", "suspended"), ("reinstate", "active"), ("withdraw", "withdrawn")]:
        url = reverse("benchmarking:label_status_change", args=[label.code, action])
        response = staff_client.post(url, {"reason": f"Because of {action}"})
        assert response.status_code == 302
        label.refresh_from_db()
        assert (label.status, label.status_reason) == (status, f"Because of {action}")
    reasons = [h.history_change_reason for h in label.history.order_by("history_id")]
    assert reasons == [None, "Because of suspend", "Because of reinstate", "Because of withdraw"]
    assert {h.history_user for h in label.history.exclude(history_change_reason=None)} == {staff_user}


def test_a_suspended_label_is_not_valid_publicly(staff_client, client, reference_data):
    label = LabelFactory(valid_until="2999-01-01")
    staff_client.post(reverse("benchmarking:label_status_change", args=[label.code, "suspend"]), {"reason": "Audit"})
    label.refresh_from_db()
    assert not label.is_valid()
    assert "Suspended" in client.get(label.get_absolute_url()).content.decode()


def test_an_empty_reason_changes_nothing(staff_client, reference_data):
    label = LabelFactory()
    url = reverse("benchmarking:label_status_change", args=[label.code, "withdraw"])
    response = staff_client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert 'id="error_1_id_reason"' in response.content.decode()
    label.refresh_from_db()
    assert label.status == Label.Status.ACTIVE
    assert label.history.count() == 1


def test_a_refused_transition_says_why(staff_client, reference_data):
    label = LabelFactory(status=Label.Status.WITHDRAWN)
    response = staff_client.post(
        reverse("benchmarking:label_status_change", args=[label.code, "reinstate"]), {"reason": "Please"}
    )
    assert response.status_code == 409
    assert "a withdrawn label is never reinstated" in response.content.decode()


def test_an_unknown_action_is_not_found(staff_client, reference_data):
    label = LabelFactory()
    assert staff_client.get(f"/review/labels/{label.code}/delete/").status_code == 404


def test_the_cluster_page_lists_every_label_with_its_history(staff_client, reference_data, staff_user):
    cluster = ClusterFactory()
    first = LabelFactory(cluster=cluster, valid_until=D(2020, 1, 1), valid_from=D(2018, 1, 1))
    second = LabelFactory(cluster=cluster, renews=first, valid_from=D(2020, 1, 2), valid_until=D(2999, 1, 1))
    from benchmarking.services.labels import label_suspend

    label_suspend(label=second, reason="Complaint received", user=staff_user)
    html = staff_client.get(reverse("benchmarking:cluster_labels", args=[cluster.pk])).content.decode()
    assert first.code in html and second.code in html
    assert "Complaint received" in html and "Changed" in html and "Created" in html


def label_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries]


def on(table: str, queries: list[str]) -> int:
    return sum(f'FROM "{table}"' in sql for sql in queries)


def test_the_cluster_history_costs_the_same_queries_for_1_or_6_labels(staff_client, reference_data):
    # Counts are compared between sizes rather than pinned: the nav of base.html (not ours)
    # adds its own queries. Ours: the labels in one query, all their history in one.
    cluster = ClusterFactory()
    url = reverse("benchmarking:cluster_labels", args=[cluster.pk])
    LabelFactory(cluster=cluster)
    few = label_queries(staff_client, url)
    for _ in range(5):
        LabelFactory(cluster=cluster)
    many = label_queries(staff_client, url)
    assert len(few) == len(many)
    assert on("benchmarking_label", many) == 1 and on("benchmarking_historicallabel", many) == 1


def test_the_label_list_costs_the_same_queries_for_1_or_12_labels(staff_client, reference_data):
    url = reverse("benchmarking:label_list")
    LabelFactory()
    few = label_queries(staff_client, url)
    for _ in range(11):
        LabelFactory()
    many = label_queries(staff_client, url)
    assert len(few) == len(many)
    assert on("benchmarking_label", many) == 2  # the paginator's count, the page with clusters joined


def test_the_label_list_finds_a_code_typed_loosely(staff_client, reference_data):
    wanted, _other = LabelFactory(), LabelFactory()
    response = staff_client.get(reverse("benchmarking:label_list"), {"q": wanted.code.lower()})
    assert [label.pk for label, _ in response.context["rows"]] == [wanted.pk]
