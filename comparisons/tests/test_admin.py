"""The secretariat's admin pages of comparisons open, and the record of comparisons is read-only."""

import pytest
from django.urls import reverse

from comparisons.models import Comparison, Region, SavedComparison, SizeBand
from comparisons.tests.helpers import login
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Region, SizeBand, SavedComparison, Comparison])
def test_every_changelist_opens(client, groups_data, model):
    admin = factories.UserFactory(username="admin", is_staff=True, is_superuser=True)
    url = reverse(f"admin:comparisons_{model._meta.model_name}_changelist")
    assert login(client, admin).get(url).status_code == 200


def test_comparisons_made_are_listed_and_never_edited(client, own, manager, peers):
    login(client, manager).get(reverse("comparisons:compare", args=[own.slug]), {"countries": "DE", "compare": "1"})
    admin = factories.UserFactory(username="admin", is_staff=True, is_superuser=True)
    record = Comparison.objects.get()
    page = login(client, admin).get(reverse("admin:comparisons_comparison_changelist")).content.decode()
    assert own.name in page and "manager" in page
    assert client.get(reverse("admin:comparisons_comparison_add")).status_code == 403
    delete = reverse("admin:comparisons_comparison_delete", args=[record.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
