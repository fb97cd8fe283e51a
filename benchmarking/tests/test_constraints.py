"""Integrity that lives in the database, not only in forms."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from benchmarking.models import Answer, Catalogue, Indicator, Label
from tests.factories import ClusterFactory, InterviewFactory, LabelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(reference_data):
    return InterviewFactory()


def test_a_duplicate_answer_is_refused_by_the_database(interview):
    indicator = Indicator.objects.get(catalogue=interview.catalogue, code="A4")
    Answer.objects.create(interview=interview, indicator=indicator, number=20)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(interview=interview, indicator=indicator, number=21)


def test_an_answer_cannot_have_both_a_value_and_a_missing_reason(interview):
    indicator = Indicator.objects.get(catalogue=interview.catalogue, code="A4")
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(interview=interview, indicator=indicator, number=20, missing_reason="unknown")


def test_indicator_codes_are_unique_within_a_catalogue(catalogue):
    a4 = Indicator.objects.get(catalogue=catalogue, code="A4")
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(catalogue=catalogue, category=a4.category, code="A4", wording="again", kind="integer")


def test_the_same_code_may_appear_in_another_catalogue(catalogue):
    v2 = Catalogue.objects.create(version="2", title="Revised", published_on=datetime.date(2019, 11, 1))
    category = v2.categories.create(code="A", title="Structure", order=1)
    Indicator.objects.create(catalogue=v2, category=category, code="A4", wording="Participants", kind="integer")


def test_new_interviews_use_the_latest_published_active_catalogue(catalogue):
    revised = Catalogue.objects.create(
        version="2", title="Revised", published_on=datetime.date(2019, 11, 1), is_active=True
    )
    Catalogue.objects.create(version="3-draft", title="Draft", published_on=datetime.date(2025, 1, 1))
    assert Catalogue.objects.current() == revised


def test_label_codes_are_unique(reference_data):
    LabelFactory(code="DEU001202401B")
    with pytest.raises(IntegrityError), transaction.atomic():
        LabelFactory(code="DEU001202401B")


@pytest.mark.parametrize("days", [0, -1])
def test_a_label_must_end_after_it_starts(reference_data, days):
    start = datetime.date(2024, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        LabelFactory(valid_from=start, valid_until=start + datetime.timedelta(days=days))


def test_deleting_a_cluster_with_interviews_is_refused(interview):
    with pytest.raises(ProtectedError):
        interview.cluster.delete()


def test_deleting_a_cluster_with_labels_is_refused(reference_data):
    label = LabelFactory()
    with pytest.raises(ProtectedError):
        label.cluster.delete()


def test_a_cluster_without_interviews_or_labels_can_be_deleted(reference_data):
    cluster = ClusterFactory()
    cluster.delete()


def test_expired_is_derived_from_the_date_never_stored(reference_data):
    label = LabelFactory(valid_until=datetime.date(2025, 6, 30))
    assert label.live_status(datetime.date(2025, 6, 30)) == "active"
    assert label.live_status(datetime.date(2025, 7, 1)) == "expired"
    assert label.status == Label.Status.ACTIVE


def test_a_suspended_label_is_not_valid(reference_data):
    label = LabelFactory(valid_until=datetime.date(2030, 1, 1), status=Label.Status.SUSPENDED)
    assert not label.is_valid(datetime.date(2026, 1, 1))
    assert label.live_status(datetime.date(2026, 1, 1)) == "suspended"
