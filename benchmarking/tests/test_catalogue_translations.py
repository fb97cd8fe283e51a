"""The catalogue, portfolios and recommendation rules as translated data."""

import pytest
from django.urls import reverse
from django.utils import translation

from benchmarking.models import Catalogue, Category, Indicator, RecommendationRule
from clusters.models import ComparativePortfolio
from ecei_site.translated import missing_translations

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(reference_data):
    from django.core.management import call_command

    call_command("loaddata", "recommendation_rules_v1", verbosity=0)


def test_catalogue_v1_is_complete_in_spanish_and_german(rules):
    objects = [
        *Catalogue.objects.all(),
        *Category.objects.all(),
        *Indicator.objects.all(),
        *RecommendationRule.objects.all(),
        *ComparativePortfolio.objects.all(),
    ]
    assert len(objects) == 1 + 6 + 36 + 25 + 13
    assert {str(obj.pk): missing_translations(obj) for obj in objects if missing_translations(obj)} == {}


def test_the_fixtures_load_the_same_whatever_language_is_active(db):
    from django.core.management import call_command

    with translation.override("de"):
        call_command("loaddata", "portfolios", "catalogue_v1", verbosity=0)
    indicator = Indicator.objects.get(code="A2")
    assert indicator.wording_en == "Legal form of the cluster management organisation"
    assert indicator.wording_de == "Rechtsform der Clustermanagement-Organisation"
    assert ComparativePortfolio.objects.get(slug="ict").name_en == "ICT"


def test_the_reader_sees_the_wording_options_and_unit_in_their_language(catalogue):
    a5 = Indicator.objects.get(code="A5")
    with translation.override("es"):
        assert a5.wording == "Composición de los participantes"
        assert a5.unit == "participantes"
        assert a5.option_choices()[0] == ("SMEs", "pymes")
    with translation.override("de"):
        assert a5.option_label("large companies") == "Großunternehmen"
    with translation.override("en"):
        assert a5.option_label("large companies") == "large companies"


def test_a_missing_translation_falls_back_to_english(catalogue):
    a5 = Indicator.objects.get(code="A5")
    a5.wording_de = ""
    a5.option_labels_de = ["KMU"]  # not one label per option: ignored, never mislabelled
    a5.save()
    with translation.override("de"):
        a5 = Indicator.objects.get(code="A5")
        assert a5.wording == "Composition of participants"
        assert a5.option_label("SMEs") == "SMEs"
    assert sorted(missing_translations(a5)["de"]) == ["options", "wording"]


def test_the_admin_lists_the_missing_translations(client, catalogue, staff_user):
    staff_user.is_superuser = True
    staff_user.save()
    Indicator.objects.filter(code="B8").update(help_text_en="Approved by the board.")
    client.force_login(staff_user)
    listing = client.get(reverse("admin:benchmarking_indicator_changelist")).content.decode()
    assert "es: help text; de: help text" in listing
    page = client.get(reverse("admin:benchmarking_catalogue_change", args=[catalogue.pk])).content.decode()
    assert "B8: es: help text; de: help text" in page


def test_the_admin_edits_a_translation(client, catalogue, staff_user):
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)
    portfolio = ComparativePortfolio.objects.get(slug="ict")
    url = reverse("admin:clusters_comparativeportfolio_change", args=[portfolio.pk])
    data = {"name_en": "ICT", "name_es": "Tecnologías de la información", "name_de": "IKT", "slug": "ict"}
    assert client.post(url, data).status_code == 302
    portfolio.refresh_from_db()
    assert portfolio.name_es == "Tecnologías de la información"
    assert portfolio.name_en == "ICT"


def _change_form_data(client, url) -> dict:
    """What the admin's change form at `url` would post unchanged."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()  # prepared as the form shows it
        if value is not None and value is not False:
            data[name] = value
    return data


def test_an_edit_of_the_spanish_and_german_texts_keeps_old_and_new_in_the_history(client, catalogue, staff_user):
    """Through the admin's change form, by an editor whose page is in German: the history
    records the old and new text of each language, and the admin's history page shows them."""
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    a2 = Indicator.objects.get(code="A2")
    old_es, old_de = a2.wording_es, a2.wording_de
    url = reverse("admin:benchmarking_indicator_change", args=[a2.pk])
    assert client.post(url, _change_form_data(client, url)).status_code == 302  # the first record (fixtures make none)
    data = _change_form_data(client, url) | {
        "wording_es": "Forma jurídica de la organización gestora",
        "wording_de": "Rechtsform der Organisation des Clustermanagements",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest, before = a2.history.all()[:2]
    assert latest.history_user == staff_user
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(before).changes}
    assert changes == {
        "wording_es": (old_es, "Forma jurídica de la organización gestora"),
        "wording_de": (old_de, "Rechtsform der Organisation des Clustermanagements"),
    }  # and no "wording": the plain column follows the editor's language, it is not compared
    page = client.get(reverse("admin:benchmarking_indicator_history", args=[a2.pk])).content.decode()
    assert old_es in page and "Forma jurídica de la organización gestora" in page
    assert "Rechtsform der Organisation des Clustermanagements" in page


def test_a_portfolio_name_edit_keeps_each_language_in_the_history(client, catalogue, staff_user):
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)
    portfolio = ComparativePortfolio.objects.get(slug="ict")
    url = reverse("admin:clusters_comparativeportfolio_change", args=[portfolio.pk])
    data = {"name_en": "ICT", "name_es": "Tecnologías de la información", "name_de": "IKT", "slug": "ict"}
    assert client.post(url, data).status_code == 302
    data["name_es"] = "TIC y telecomunicaciones"
    assert client.post(url, data).status_code == 302
    latest, before = portfolio.history.all()[:2]
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(before).changes}
    assert changes == {"name_es": ("Tecnologías de la información", "TIC y telecomunicaciones")}


def test_the_interview_form_shows_options_in_the_readers_language(catalogue):
    from benchmarking.forms.interviews import ChoiceForm

    with translation.override("es"):
        form = ChoiceForm(indicator=Indicator.objects.get(code="A2"), interview=None)
        assert ("association", "asociación") in list(form.fields["value"].choices)


def test_the_codebook_stays_english_for_a_reader_in_german(client, catalogue, staff_user):
    client.force_login(staff_user)
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    response = client.get(reverse("exchange:codebook", kwargs={"version": "1", "fmt": "csv"}))
    text = b"".join(response.streaming_content).decode()
    assert "Legal form of the cluster management organisation" in text
    assert "Rechtsform" not in text
