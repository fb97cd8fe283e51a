"""Done when: export the demo history, wipe it, import it, and the reports issued afterwards
show the same statistics."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from benchmarking.models import Answer, Interview, Label, LabelRecommendation, LabelReminder, Report
from benchmarking.selectors.reports import build_snapshot
from benchmarking.services.peer_values import peer_groups_rebuild
from benchmarking.tests.interview_helpers import login
from exchange.models import ImportedBenchmarking
from exchange.services.legacy_import import legacy_import

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _statistics(snapshot: dict) -> list:
    """What a reader compares: groups and every indicator's numbers, without dates or codes."""
    return [snapshot["groups"], [c["indicators"] for c in snapshot["categories"]]]


def _wipe_benchmarking_history():
    """Everything the import brings back: interviews, answers, their labels and reports."""
    LabelReminder.objects.all().delete()
    Report.objects.all().delete()
    LabelRecommendation.objects.all().delete()  # the board's records protect their labels
    # Newest first: a renewal protects the label it renews.
    for label in Label.objects.filter(interview__isnull=False).order_by("-valid_from"):
        label.delete()
    Answer.objects.all().delete()
    Interview.history.all().delete()
    Interview.objects.all().delete()
    # The peer values went by cascade, past peer_values_refresh: the stored groups are rebuilt, as
    # after any wipe outside the product's doors (none of them deletes an interview).
    peer_groups_rebuild()


def test_the_demo_history_round_trips(client, catalogue):
    call_command("seed_demo", clusters=40, stdout=io.StringIO(), stderr=io.StringIO())
    secretariat = get_user_model().objects.get(username="secretariat")
    login(client, secretariat)
    # The legacy layout holds one catalogue version: the demo's history before the 2019 revision.
    approved = Interview.objects.filter(status=Interview.Status.APPROVED, catalogue__version=1)
    latest = approved.order_by("-date", "-pk").first()
    before = _statistics(build_snapshot(latest))
    cluster, date = latest.cluster_id, latest.date
    labels = Label.objects.filter(interview__in=approved)
    labels_before = sorted(labels.values_list("code", "valid_from", "valid_until"))
    response = client.get("/exports/answers/", {"catalogue": "1", "layout": "wide", "format": "csv"})
    exported = b"".join(response.streaming_content)
    count = approved.count()

    # Interviews in progress are not history: they stay, and are not exported.
    Interview.objects.exclude(status=Interview.Status.APPROVED).delete()
    _wipe_benchmarking_history()
    result = legacy_import(content=exported, filename="demo-history.csv", user=secretariat, dry_run=False)
    assert result.errors == []
    assert result.created == count

    again = Interview.objects.get(cluster_id=cluster, date=date)
    assert _statistics(build_snapshot(again)) == before
    imported = Interview.objects.filter(status=Interview.Status.APPROVED, catalogue__version=1)
    assert sorted(Label.objects.filter(interview__in=imported).values_list("code", "valid_from", "valid_until")) == (
        labels_before
    )
    assert ImportedBenchmarking.objects.count() == count
