"""The Gold assessment form's assessors (issue 27): only experts who may have been accredited on
the assessment day are offered, each with their country and number, searchable, and the page
narrows the list to the day in the date field (static/js/expert-picker.js)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarking.models import GoldAssessment
from benchmarking.rules.gold import active_gold_indicators
from tests.factories import ClusterFactory, ExpertFactory, UserFactory


@pytest.fixture
def experts(reference_data):
    today = timezone.localdate()
    return {
        "current": ExpertFactory(user__first_name="Ana", user__last_name="Alonso", country="ES"),
        "namesake": ExpertFactory(user__first_name="Ana", user__last_name="Alonso", country="MX"),
        "lapsed": ExpertFactory(
            user__first_name="Old", user__last_name="Timer",
            accredited_until=today - datetime.timedelta(days=800),
        ),  # fmt: skip
    }


def url(cluster):
    return reverse("benchmarking:gold_assessment_new", args=[cluster.pk])


def test_only_experts_of_the_day_are_offered_with_country_and_number(client, experts, staff_user):
    client.force_login(staff_user)
    response = client.get(url(ClusterFactory()))
    assert response.status_code == 200
    offered = list(response.context["form"].fields["first_assessor"].queryset)
    assert experts["current"] in offered and experts["namesake"] in offered
    assert experts["lapsed"] not in offered
    page = response.content.decode()
    current = experts["current"]
    assert f"Ana Alonso · Spain ({current.accreditation_number})" in page
    assert f"Ana Alonso · Mexico ({experts['namesake'].accreditation_number})" in page
    assert f'data-from="{current.accredited_from.isoformat()}"' in page
    assert f'data-until="{current.accredited_until.isoformat()}"' in page
    assert 'id="id_first_assessor-search"' in page and "expert-picker.js" in page
    assert "data-experts-on" in page  # the date the lists follow


def test_an_expert_of_another_time_is_refused_next_to_the_field(client, experts, staff_user):
    client.force_login(staff_user)
    cluster = ClusterFactory()
    data = {
        "first_assessor": experts["current"].pk,
        "second_assessor": experts["lapsed"].pk,
        "assessed_on": timezone.localdate().isoformat(),
    } | {f"score_{i.code}": "88" for i in active_gold_indicators()}
    response = client.post(url(cluster), data)
    assert response.status_code == 200
    assert response.context["form"].errors["second_assessor"]
    assert not GoldAssessment.objects.exists()


def test_the_list_follows_a_typed_past_day(client, experts, staff_user):
    """A day typed two years back offers the expert whose accreditation then was valid."""
    client.force_login(staff_user)
    day = timezone.localdate() - datetime.timedelta(days=900)
    data = {"assessed_on": day.isoformat()}
    response = client.post(url(ClusterFactory()), data)
    assert response.status_code == 200
    assert experts["lapsed"] in list(response.context["form"].fields["first_assessor"].queryset)


def test_a_bad_date_keeps_today_s_list(client, experts, staff_user):
    client.force_login(staff_user)
    response = client.post(url(ClusterFactory()), {"assessed_on": "not a date"})
    assert response.status_code == 200
    assert response.context["form"].errors["assessed_on"]
    assert experts["lapsed"] not in list(response.context["form"].fields["first_assessor"].queryset)


@pytest.mark.parametrize("who", ["anonymous", "plain"])
def test_the_form_is_the_secretariat_s(client, reference_data, who):
    if who == "plain":
        client.force_login(UserFactory())
    response = client.get(url(ClusterFactory()))
    assert response.status_code in (302, 403)


def test_the_form_takes_no_other_method(client, reference_data, staff_user):
    client.force_login(staff_user)
    assert client.put(url(ClusterFactory())).status_code == 405
