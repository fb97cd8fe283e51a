"""The doors that were around the services log their named actions too: a cluster edited or
imported in the admin, a label imported in the admin, a legacy file imported."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from activity import actions
from activity.models import ActionLog
from benchmarking.models import Interview
from clusters.models import Cluster
from exchange.services.legacy_import import legacy_import
from tests.factories import ClusterFactory, ExpertFactory, UserFactory
from tests.test_imports import LABEL_HEADER, label_row, upload, validation_rows

pytestmark = pytest.mark.django_db
LEGACY = Path(settings.BASE_DIR) / "fixtures" / "legacy_benchmarkings_valid.csv"


@pytest.fixture
def secretariat(client, reference_data):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def _cluster_form(cluster, **changes):
    data = {
        field: getattr(cluster, field)
        for field in ("name", "slug", "region", "website", "eccp_profile_url", "organisation_name", "contact_email")
    }
    data |= {"portfolio": cluster.portfolio_id, "country": cluster.country.code, "description": cluster.description}
    return data | changes


def test_a_cluster_edited_in_the_admin_logs_its_old_and_new_values(secretariat):
    cluster = ClusterFactory(region="Old region")
    response = secretariat.post(
        reverse("admin:clusters_cluster_change", args=[cluster.pk]), _cluster_form(cluster, region="New region")
    )
    assert response.status_code == 302
    log = ActionLog.objects.get(action=actions.CLUSTER_UPDATED)
    assert (log.cluster_id, log.user) == (cluster.pk, secretariat.user)
    assert log.data["changes"] == {"region": {"old": "Old region", "new": "New region"}}
    page = secretariat.get(reverse("benchmarking:cluster_labels", args=[cluster.pk]))  # its timeline
    assert "Cluster updated" in page.content.decode() and "New region" in page.content.decode()


def test_saving_a_cluster_unchanged_logs_nothing(secretariat):
    cluster = ClusterFactory()
    secretariat.post(reverse("admin:clusters_cluster_change", args=[cluster.pk]), _cluster_form(cluster))
    assert not ActionLog.objects.filter(action=actions.CLUSTER_UPDATED).exists()


def test_a_refused_cluster_edit_logs_nothing(secretariat):
    cluster = ClusterFactory()
    response = secretariat.post(
        reverse("admin:clusters_cluster_change", args=[cluster.pk]), _cluster_form(cluster, website="javascript:x")
    )
    assert response.status_code == 200  # the form again, with the message
    assert not ActionLog.objects.exists()


def test_a_label_imported_in_the_admin_is_logged(secretariat):
    cluster = ClusterFactory(slug="demo-cluster", country="MX")
    response = upload(secretariat, "benchmarking_label", LABEL_HEADER + "\n" + label_row("MEX002202401B") + "\n")
    assert validation_rows(response) == []
    assert not ActionLog.objects.exists()  # the dry run was rolled back with its actions
    secretariat.post(reverse("admin:benchmarking_label_process_import"), response.context["confirm_form"].initial)
    log = ActionLog.objects.get(action=actions.LABEL_IMPORTED)
    assert (log.cluster_id, log.user, log.data["valid_until"]) == (cluster.pk, secretariat.user, "2026-01-10")


def test_a_legacy_import_logs_each_benchmarking_with_its_file_and_row(reference_data):
    staff = UserFactory(is_staff=True)
    for number in ("ESCA-0001", "ESCA-0002"):
        ExpertFactory(accreditation_number=number, accredited_from=datetime.date(2010, 6, 1))
    legacy_import(content=LEGACY.read_bytes(), filename=LEGACY.name, user=staff, dry_run=True)
    assert not ActionLog.objects.exists()
    legacy_import(content=LEGACY.read_bytes(), filename=LEGACY.name, user=staff, dry_run=False)
    applied = ActionLog.objects.filter(action=actions.IMPORT_APPLIED)
    assert applied.count() == Interview.objects.count() == 5
    log = applied.order_by("pk").first()
    assert log.user == staff and log.data["file"] == LEGACY.name
    assert log.reason == f"Imported from {LEGACY.name}, row {log.data['row']}"
    created = ActionLog.objects.filter(action=actions.CLUSTER_CREATED)
    assert set(created.values_list("cluster_id", flat=True)) == set(Cluster.objects.values_list("pk", flat=True))
