"""Progress across catalogue versions: the same question only (or a mapping as data); otherwise
"not comparable: the question changed"; dropped indicators are listed."""

import datetime
from decimal import Decimal

import pytest

from benchmarking.models import Catalogue, Category, Indicator, Interview
from benchmarking.selectors.progress import Trend, interview_progress
from benchmarking.selectors.reports import build_snapshot
from tests.factories import ClusterFactory, InterviewFactory, answer_all

pytestmark = pytest.mark.django_db
D = datetime.date


def catalogue_v2(*, drop=("F3",), changes=None) -> Catalogue:
    """A copy of catalogue v1 as version 2, without `drop`, with `changes` (code → fields)."""
    v1 = Catalogue.objects.get(version="1")
    v2 = Catalogue.objects.create(version="2", title="Revised 2019", published_on=D(2019, 11, 15))
    categories = {}
    for category in v1.categories.all():
        categories[category.pk] = Category.objects.create(
            catalogue=v2, code=category.code, title=category.title, order=category.order
        )
    for old in Indicator.objects.filter(catalogue=v1).exclude(code__in=drop):
        fields = {f.name: getattr(old, f.name) for f in Indicator._meta.concrete_fields}
        fields |= {"id": None, "catalogue": v2, "category": categories[old.category_id], "cross_check_with": None}
        fields |= (changes or {}).get(old.code, {})
        Indicator.objects.create(**fields)
    return v2


def benchmarkings(v2: Catalogue, *, d7_before=80, d7_after=25, f3=90):
    cluster = ClusterFactory()
    v1 = Catalogue.objects.get(version="1")
    before = InterviewFactory(cluster=cluster, catalogue=v1, status=Interview.Status.APPROVED, date=D(2019, 1, 10))
    answer_all(before, D7=Decimal(d7_before), F3=Decimal(f3))
    after = InterviewFactory(cluster=cluster, catalogue=v2, status=Interview.Status.APPROVED, date=D(2022, 1, 10))
    answer_all(after, D7=Decimal(d7_after))
    return before, after


D7_AS_COUNT = {"D7": {"kind": "integer", "unit": "participants", "wording": "Participants that used a service"}}


def test_a_changed_question_is_not_compared(reference_data):
    """The issue's case: D7 changed from a percent to a count; 80 % → 25 participants is no decline."""
    before, after = benchmarkings(catalogue_v2(changes=D7_AS_COUNT))
    changes = {c.indicator.code: c for c in interview_progress(before, after).changes}
    assert changes["D7"].trend == Trend.QUESTION_CHANGED
    assert changes["D7"].before_indicator.kind == "percent"
    assert changes["A4"].trend in {Trend.IMPROVED, Trend.DECLINED, Trend.UNCHANGED}


def test_a_mapping_as_data_makes_a_changed_question_comparable(reference_data):
    v2 = catalogue_v2(changes=D7_AS_COUNT)
    old_d7 = Indicator.objects.get(catalogue__version="1", code="D7")
    Indicator.objects.filter(catalogue=v2, code="D7").update(compares_with=old_d7)
    before, after = benchmarkings(v2, d7_before=20, d7_after=25)
    changes = {c.indicator.code: c for c in interview_progress(before, after).changes}
    assert changes["D7"].trend == Trend.IMPROVED


def test_a_dropped_indicator_is_listed(reference_data):
    before, after = benchmarkings(catalogue_v2())
    progress = interview_progress(before, after)
    assert [(old.code, answer.number) for old, answer in progress.dropped] == [("F3", Decimal(90))]
    assert "F3" not in {c.indicator.code for c in progress.changes}


def test_the_report_says_so_and_reads_the_old_answer_with_the_old_question(reference_data):
    before, after = benchmarkings(catalogue_v2(changes=D7_AS_COUNT))
    progress = build_snapshot(after)["progress"]
    d7 = next(row for row in progress["rows"] if row["code"] == "D7")
    assert d7["trend_label"] == "Not comparable: the question changed"
    assert "%" in d7["before"] and "participants" not in d7["before"]
    assert progress["dropped"][0]["code"] == "F3"


def test_the_same_catalogue_still_compares_every_indicator(reference_data):
    cluster = ClusterFactory()
    first = answer_all(InterviewFactory(cluster=cluster, status="approved", date=D(2020, 1, 1)), D7=Decimal(40))
    second = answer_all(InterviewFactory(cluster=cluster, status="approved", date=D(2022, 1, 1)), D7=Decimal(60))
    progress = interview_progress(first, second)
    assert progress.dropped == []
    assert {c.indicator.code: c.trend for c in progress.changes}["D7"] == Trend.IMPROVED


def test_a_mapping_must_point_to_an_earlier_version(reference_data):
    from django.core.exceptions import ValidationError

    indicator = Indicator.objects.get(catalogue__version="1", code="D7")
    indicator.compares_with = Indicator.objects.get(catalogue__version="1", code="F3")
    with pytest.raises(ValidationError, match="earlier catalogue version"):
        indicator.full_clean()
