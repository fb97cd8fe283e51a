"""The list's filter form is written by a plain template (issue 30: crispy's rendering was 12-24 %
of a list page). Users must not see a difference: the same controls, labels, ids, selected
options, error messages and ARIA attributes as crispy-forms' Bootstrap 5 pack wrote for the
layout the form had, compared element by element (django.test.html: attribute order and
whitespace aside)."""

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row, Submit
from django.http import QueryDict
from django.template import engines
from django.template.loader import render_to_string
from django.test.html import parse_html
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory import selectors
from directory.filters import PublicClusterFilter


def crispy_layout() -> FormHelper:
    """The form's crispy layout before issue 30, the reference."""
    helper = FormHelper()
    helper.form_method = "get"
    helper.form_action = reverse("clusters:list")
    helper.form_class = "filter-form mb-3"
    helper.attrs = {"aria-label": _("Filter the clusters")}
    helper.layout = Layout(
        Row(
            Column("q", css_class="col-12 col-md-6 col-lg-3"),
            Column("country", css_class="col-12 col-md-6 col-lg-3"),
            Column("portfolio", css_class="col-12 col-md-6 col-lg-3"),
            Column("status", css_class="col-12 col-md-6 col-lg-3"),
        ),
        "sort",
        Submit("", _("Show clusters"), css_class="me-2"),
        HTML(
            format_html('<a class="btn btn-link" href="{}">{}</a>', reverse("clusters:list"), gettext("Clear filters"))
        ),
    )
    return helper


def both(query: str) -> tuple[str, str]:
    """The form of the list at `query`, written by the page's template and by crispy."""
    form = PublicClusterFilter(QueryDict(query), queryset=selectors.public_clusters()).form
    plain = render_to_string("clusters/filter_form.html", {"form": form})
    crispy = engines["django"].from_string("{% load crispy_forms_tags %}{% crispy form helper %}")
    return plain, crispy.render({"form": form, "helper": crispy_layout()})


@pytest.mark.parametrize("language", ["en", "de", "es"])
@pytest.mark.parametrize(
    "query",
    [
        "",
        "country=de&portfolio=ict&status=valid&sort=-valid_until&q=north",
        "q=%22%3Cb%3E%26&sort=country",
        # Bad values: each select marked invalid, described by its message.
        "country=ZZ&portfolio=no-such-portfolio&status=forever&sort=secret_field",
        "q=%00",
    ],
)
def test_the_plain_form_writes_what_crispy_wrote(make_listed_cluster, language, query):
    make_listed_cluster("North", country="DE")
    make_listed_cluster("South", country="ES", portfolio="biotechnology")

    with translation.override(language):
        plain, reference = both(query)

    assert parse_html(plain) == parse_html(reference)


def test_an_invalid_filter_is_marked_and_described_by_its_message(make_listed_cluster):
    make_listed_cluster("North", country="DE")

    plain, _reference = both("country=ZZ")

    assert 'aria-invalid="true" aria-describedby="id_country_error"' in plain
    assert '<div id="id_country_error" class="invalid-feedback">' in plain
    portfolio = plain[plain.index('<select name="portfolio"') :]
    assert "aria-invalid" not in portfolio[: portfolio.index(">")]


def test_the_chosen_options_are_selected(make_listed_cluster):
    make_listed_cluster("North", country="DE")

    plain, _reference = both("country=de&portfolio=ict")

    assert '<option value="DE" selected>Germany</option>' in plain
    assert '<option value="ict" selected>ICT</option>' in plain
    assert '<option value="" selected>Valid or not</option>' in plain
