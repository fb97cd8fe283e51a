"""The comparison page: a manager builds a group and reads it; others get 404; bad input is said."""

import pytest
from django.urls import reverse

from comparisons.models import Comparison, SavedComparison
from comparisons.tests.helpers import login
from tests import factories

pytestmark = pytest.mark.django_db


def url(cluster, name="compare"):
    return reverse(f"comparisons:{name}", args=[cluster.slug])


def test_it_shows_the_form_before_anything_is_asked(client, own, manager):
    response = login(client, manager).get(url(own))
    assert response.status_code == 200
    assert "Choose filters and press Compare" in response.content.decode()
    assert not Comparison.objects.exists()


def test_a_manager_reads_the_figures_of_the_group_chosen(client, own, manager, peers):
    response = login(client, manager).get(url(own), {"countries": ["DE"], "compare": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "12 other clusters" in page
    assert "Lower quartile" in page and 'class="chart"' in page
    assert "Countries" in page and "Germany" in page  # which filters made it
    for cluster in peers["de_ict"]:
        assert cluster.name not in page  # never a list of members
    record = Comparison.objects.get()
    assert (record.user, record.outcome, record.group_size) == (manager, "shown", 12)
    assert record.filters["countries"] == ["DE"]


def test_a_group_below_the_minimum_says_how_many_more_it_needs(client, own, manager, peers):
    response = login(client, manager).get(url(own), {"countries": ["FR"], "years": [2008], "compare": "1"})
    assert response.status_code == 200
    assert "It needs 6 more" not in response.content.decode()
    response = login(client, manager).get(
        url(own), {"countries": ["AT"], "portfolios": [peers["fr_other"][0].portfolio_id], "compare": "1"}
    )
    assert "No other cluster matches" in response.content.decode()
    region = reverse("comparisons:compare", args=[own.slug])
    assert region


def test_the_refusal_counts_the_clusters_missing(client, own, manager, ict, peers):
    from comparisons.tests.helpers import benchmarked

    benchmarked(3, portfolio=ict, country="PL", seed=300)
    response = login(client, manager).get(url(own), {"countries": ["PL"], "compare": "1"})
    page = response.content.decode()
    assert "This group has 3 other clusters. It needs 3 more to be shown" in page
    assert Comparison.objects.get().outcome == "refused"


def test_anonymous_is_sent_to_log_in(client, own):
    response = client.get(url(own))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_someone_elses_cluster_is_a_404(client, own, peers):
    other_manager = factories.UserFactory(username="other")
    peers["at_ict"][0].managers.add(other_manager)
    assert login(client, other_manager).get(url(own)).status_code == 404
    assert client.get(reverse("comparisons:compare", args=["no-such-cluster"])).status_code == 404


def test_the_secretariat_compares_for_any_cluster(client, own, staff_user, peers):
    response = login(client, staff_user).get(url(own), {"countries": ["DE"], "compare": "1"})
    assert response.status_code == 200 and "12 other clusters" in response.content.decode()


def test_it_rejects_post(client, own, manager):
    assert login(client, manager).post(url(own)).status_code == 405
    assert client.get(url(own, "save")).status_code == 405


def test_bad_input_is_said_next_to_the_field_and_records_nothing(client, own, manager, peers):
    response = login(client, manager).get(url(own), {"countries": ["XX"], "years": ["soon"], "compare": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert not Comparison.objects.exists()


def test_a_manager_saves_a_group_and_opens_it_again(client, own, manager, peers):
    login(client, manager)
    response = client.post(url(own, "save"), {"name": "Germany", "countries": ["DE"]})
    saved = SavedComparison.objects.get(cluster=own)
    assert response.status_code == 302 and response["Location"].endswith(f"?saved={saved.pk}")
    assert saved.filters["countries"] == ["DE"]
    page = client.get(response["Location"]).content.decode()
    assert "Saved group: Germany" in page and "12 other clusters" in page
    again = client.post(url(own, "save"), {"name": "Germany", "countries": ["DE"]})
    assert again.status_code == 400 and "saved group of this name already" in again.content.decode()
    empty = client.post(url(own, "save"), {"name": "", "countries": ["DE"]})
    assert empty.status_code == 400 and SavedComparison.objects.filter(cluster=own).count() == 1


def test_a_manager_deletes_their_group_but_not_a_standard_one(client, own, manager, peers):
    login(client, manager)
    client.post(url(own, "save"), {"name": "Mine", "countries": ["DE"]})
    mine = SavedComparison.objects.get(cluster=own)
    client.post(reverse("comparisons:delete", args=[own.slug, mine.pk]))
    assert not SavedComparison.objects.filter(pk=mine.pk).exists()
    standard = SavedComparison.objects.filter(cluster__isnull=True).first()
    client.post(reverse("comparisons:delete", args=[own.slug, standard.pk]))
    assert SavedComparison.objects.filter(pk=standard.pk).exists()


def test_a_standard_group_is_offered_in_the_readers_language(client, own, manager, peers):
    login(client, manager)
    client.post(reverse("set_language"), {"language": "de"})
    page = client.get(url(own)).content.decode()
    assert "Silber und Gold in Mitteleuropa" in page


def test_csv_in_the_readers_language(client, own, manager, peers):
    login(client, manager)
    client.cookies["django_language"] = "es"
    response = client.get(url(own, "csv"), {"countries": ["DE"], "compare": "1"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert "Mediana" in text and "B4" in text
    assert Comparison.objects.get().channel == "csv"


@pytest.mark.slow
def test_pdf(client, own, manager, peers):
    response = login(client, manager).get(url(own, "pdf"), {"countries": ["DE"], "compare": "1"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert Comparison.objects.get().channel == "pdf"


def test_a_refused_download_says_why(client, own, manager, peers):
    response = login(client, manager).get(
        url(own, "csv"), {"countries": ["AT"], "portfolios": [own.portfolio_id], "years": [2009], "compare": "1"}
    )
    assert response.status_code == 409
    assert "No other cluster matches" in response.content.decode()
