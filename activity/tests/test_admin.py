"""The action log in the admin: listed, filtered by action, user and date, searched, exported as CSV;
never added, changed or deleted."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from activity import actions
from activity.models import ActionLog
from activity.services import log_action
from benchmarking.services.labels import label_suspend, label_withdraw
from tests.factories import LabelFactory, UserFactory

pytestmark = pytest.mark.django_db

LONG = "Withdrawn after the cluster closed: " + "its members joined the association of the neighbouring cluster. " * 3


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def log(reference_data, staff_user):
    label = LabelFactory(code="DEU007202401B", valid_until=datetime.date(2999, 1, 1))  # valid today: suspendable
    label_suspend(label=label, reason="Membership under review", user=staff_user)
    label_withdraw(label=label, reason=LONG, user=UserFactory(username="head"))
    log_action(action=actions.CLUSTER_UPDATED, obj=label.cluster, user=None, data={"name": "x"})
    return label


CHANGELIST = reverse("admin:activity_actionlog_changelist")


def listed(response) -> list[str]:
    return [entry.action for entry in response.context["cl"].result_list]


def test_the_list_shows_every_action_with_its_name(admin_client, log):
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert listed(response) == [actions.CLUSTER_UPDATED, actions.LABEL_WITHDRAWN, actions.LABEL_SUSPENDED]
    assert "Label withdrawn" in response.content.decode()


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"action": actions.LABEL_SUSPENDED}, [actions.LABEL_SUSPENDED]),
        ({"q": "neighbouring cluster"}, [actions.LABEL_WITHDRAWN]),
        ({"q": "DEU007202401B"}, [actions.LABEL_WITHDRAWN, actions.LABEL_SUSPENDED]),
    ],
)
def test_the_list_is_filtered_and_searched(admin_client, log, params, expected):
    assert listed(admin_client.get(CHANGELIST, params)) == expected


def test_the_list_is_filtered_by_user_and_date(admin_client, log, staff_user):
    assert listed(admin_client.get(CHANGELIST, {"user__id__exact": staff_user.pk})) == [actions.LABEL_SUSPENDED]
    # The admin's date hierarchy counts days in the site's time zone, not in UTC (23:00 UTC is
    # already tomorrow in Brussels).
    day = timezone.localtime(ActionLog.objects.first().created_at)
    params = {"created_at__year": day.year, "created_at__month": day.month, "created_at__day": day.day}
    assert len(listed(admin_client.get(CHANGELIST, params))) == 3
    assert listed(admin_client.get(CHANGELIST, {"created_at__year": day.year - 1})) == []


def test_an_entry_is_read_only(admin_client, log):
    entry = ActionLog.objects.get(action=actions.LABEL_WITHDRAWN)
    page = admin_client.get(reverse("admin:activity_actionlog_change", args=[entry.pk]))
    assert page.status_code == 200 and LONG.strip() in page.content.decode()
    assert admin_client.get(reverse("admin:activity_actionlog_add")).status_code == 403
    change, delete = (reverse(f"admin:activity_actionlog_{view}", args=[entry.pk]) for view in ("change", "delete"))
    assert admin_client.post(change, {"reason": "x"}).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.reason == LONG.strip()
    assert ActionLog.objects.count() == 3


def test_the_log_is_exported_as_csv_with_whole_reasons(admin_client, log):
    url = reverse("admin:activity_actionlog_export")
    page = admin_client.get(url)
    form = page.context["form"]
    csv_index = next(value for value, label in form.fields["format"].choices if label == "csv")
    fields = {name: "on" for name in form.fields if name not in {"format", "resource", "export_items"}}
    response = admin_client.post(url, {"format": csv_index, "resource": 0, **fields})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    withdrawn = next(row for row in rows if row["action"] == actions.LABEL_WITHDRAWN)
    assert (withdrawn["action_name"], withdrawn["user"]) == ("Label withdrawn", "head")
    assert withdrawn["reason"] == LONG.strip()
    assert (withdrawn["object_type"], withdrawn["object_repr"], withdrawn["cluster"]) == (
        "label",
        "Bronze DEU007202401B",
        log.cluster.slug,
    )
    assert '"status": {"new": "withdrawn", "old": "suspended"}' in withdrawn["data"]
    assert next(row for row in rows if row["action"] == actions.CLUSTER_UPDATED)["user"] == ""
