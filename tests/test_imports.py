"""Every import validates every row (the model and the services' rules), reports each error by
row, column, value and reason in the dry run, and writes nothing when a row fails. Exports
from the admin are safe to open in a spreadsheet."""

import datetime

import pytest
from django.urls import reverse

from benchmarking.models import Label
from clusters.models import Cluster
from tests.factories import ClusterFactory, LabelFactory, PortfolioFactory, UserFactory

pytestmark = pytest.mark.django_db

CLUSTER_HEADER = (
    "slug,name,country,region,website,eccp_profile_url,portfolio,organisation_name,contact_email,description"
)
LABEL_HEADER = "code,cluster,level,benchmarked_on,awarded_on,valid_from,valid_until,status,source"


@pytest.fixture
def secretariat(client, db):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def upload(client, model: str, text: str, name="rows.csv"):
    """The admin's import form, as the secretariat submits it (CSV): the dry run."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse(f"admin:{model}_import")
    page = client.get(url)
    csv_index = next(value for value, label in page.context["form"].fields["format"].choices if label == "csv")
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    response = client.post(url, {"import_file": file, "format": csv_index, "resource": 0})
    assert response.status_code == 200
    return response


def validation_rows(response):
    """(row number, {field: [messages]}) of every row the dry run refused."""
    result = response.context["result"]
    return [(row.number, {f: [str(m) for m in ms] for f, ms in row.error_dict.items()}) for row in result.invalid_rows]


# --- Clusters ----------------------------------------------------------------------------------


def test_a_cluster_row_with_a_javascript_url_and_a_bad_email_is_refused(secretariat):
    PortfolioFactory()
    rows = [
        "ok-cluster,OK Cluster,DE,,https://ok.example.org/,,ict,,office@ok.example.org,",
        "evil,Evil,DE,,javascript:alert(document.domain),javascript:alert(1),ict,,not-an-email,",
        "ftp,FTP Cluster,DE,,ftp://files.example.org/,,ict,,,",
    ]
    response = upload(secretariat, "clusters_cluster", "\n".join([CLUSTER_HEADER, *rows]) + "\n")
    refused = dict(validation_rows(response))
    assert set(refused) == {2, 3}
    assert set(refused[2]) == {"website", "eccp_profile_url", "contact_email"}
    assert any("http:// or https://" in message for message in refused[2]["website"])
    assert "website" in refused[3]
    page = response.content.decode()
    assert "javascript:alert(document.domain)" in page  # the value is shown next to its error
    assert "not-an-email" in page
    assert "Confirm import" not in page
    assert not Cluster.objects.exists()  # not even the good row: fix the file, then import


def test_a_clean_cluster_file_can_be_confirmed(secretariat):
    PortfolioFactory()
    response = upload(
        secretariat,
        "clusters_cluster",
        CLUSTER_HEADER + "\nok-cluster,OK Cluster,DE,,https://ok.example.org/,,ict,,office@ok.example.org,\n",
    )
    assert validation_rows(response) == []
    assert "Confirm import" in response.content.decode()
    assert not Cluster.objects.exists()  # a dry run writes nothing


def test_a_stored_javascript_url_is_never_rendered_as_a_link(client, reference_data):
    """Rows from before the rule: shown, never as a link."""
    cluster = ClusterFactory(website="https://fine.example.org/")
    LabelFactory(cluster=cluster)
    Cluster.objects.filter(pk=cluster.pk).update(
        website="javascript:alert(document.domain)", eccp_profile_url="javascript:alert(1)"
    )
    for url in (reverse("clusters:list"), cluster.get_absolute_url()):
        page = client.get(url).content.decode()
        assert 'href="javascript:' not in page, url


def test_the_model_refuses_other_schemes(reference_data):
    from django.core.exceptions import ValidationError

    cluster = ClusterFactory.build(portfolio=PortfolioFactory(), website="data:text/html,<script>x</script>")
    with pytest.raises(ValidationError) as error:
        cluster.full_clean()
    assert "website" in error.value.message_dict


# --- Labels ------------------------------------------------------------------------------------


@pytest.fixture
def cluster(reference_data):
    return ClusterFactory(slug="demo-cluster", country="MX")


def label_row(code, *, level="bronze", bench="2024-01-10", awarded="2024-02-01", start="2024-01-10",
              until="2026-01-10", status="active", source="import", cluster="demo-cluster"):  # fmt: skip
    return f"{code},{cluster},{level},{bench},{awarded},{start},{until},{status},{source}"


def test_the_label_import_refuses_each_row_against_the_rules(secretariat, cluster):
    existing = LabelFactory(cluster=cluster, code="MEX001201801B", valid_from=datetime.date(2018, 1, 1),
                            valid_until=datetime.date(2020, 1, 1))  # fmt: skip
    rows = [
        label_row("MEX002202401B"),  # fine
        label_row(existing.code, bench="2018-01-01", start="2018-01-01", until="2020-01-01"),  # exists
        label_row("MEX003202401B", status="withdrawn"),
        label_row("MEX004202401B", source="interview"),
        label_row("MEX005202401B", until="2034-01-10"),  # ten years
        label_row("MEX006202401B", start="2023-01-10"),  # before the benchmarking
        label_row("MEX007202401B", bench="2099-01-01", awarded="2099-01-02", start="2099-01-01", until="2100-01-01"),
        label_row("MEX008202401B", until="2023-01-01"),  # ends before it starts
        label_row("MEX009202401B", cluster="no-such-cluster"),
        # overlaps row 1
        label_row("MEX010202402B", bench="2024-02-10", awarded="2024-03-01", start="2025-06-01", until="2027-06-01"),
    ]
    response = upload(secretariat, "benchmarking_label", "\n".join([LABEL_HEADER, *rows]) + "\n")
    refused = dict(validation_rows(response))
    assert sorted(refused) == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert "code" in refused[2]
    assert "status" in refused[3]
    assert "source" in refused[4]
    assert "at most 3 years" in refused[5]["valid_until"][0]
    assert "before the benchmarking" in refused[6]["valid_from"][0]
    assert "future" in refused[7]["benchmarked_on"][0]
    assert refused[8]  # the model's own constraint
    assert refused[9]["cluster"] == ["No cluster with the slug 'no-such-cluster'."]
    assert "overlaps Bronze label MEX002202401B" in refused[10]["valid_from"][0]
    assert Label.objects.count() == 1  # nothing written


def test_a_clean_label_file_is_imported_on_confirmation(secretariat, cluster):
    response = upload(secretariat, "benchmarking_label", LABEL_HEADER + "\n" + label_row("MEX002202401B") + "\n")
    assert validation_rows(response) == []
    confirm = response.context["confirm_form"].initial
    done = secretariat.post(reverse("admin:benchmarking_label_process_import"), confirm)
    assert done.status_code == 302
    label = Label.objects.get(code="MEX002202401B")
    assert (label.cluster, label.source, label.valid_until) == (cluster, "import", datetime.date(2026, 1, 10))


# --- Exports -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["=cmd|' /C calc'!A0", "=1+2", "@SUM(A1)", "+1+1", "-2+3"])
def test_the_admin_cluster_export_escapes_formulas(secretariat, reference_data, name):
    ClusterFactory(name=name, organisation_name=name)
    url = reverse("admin:clusters_cluster_export")
    page = secretariat.get(url)
    csv_index = next(value for value, label in page.context["form"].fields["format"].choices if label == "csv")
    response = secretariat.post(url, {"format": csv_index, "resource": 0, **_all_export_fields(page)})
    text = response.content.decode()
    assert f"'{name}" in text
    assert f",{name}," not in text and not text.startswith(name)


def _all_export_fields(page) -> dict:
    form = page.context["form"]
    return {name: "on" for name in form.fields if name not in {"format", "resource", "export_items"}}
