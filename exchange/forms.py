"""The secretariat's export form: which approved answers, in which layout and format."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from benchmarking.models import Catalogue
from clusters.models import ComparativePortfolio
from exchange.analysis import AnalysisFilter

FORMATS = [("csv", "CSV"), ("xlsx", _("Excel (XLSX), with the codebook as a second sheet"))]
LAYOUTS = [("wide", _("Wide: one row per interview")), ("long", _("Long: one row per answer"))]


class CatalogueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"v{obj.version}: {obj.title}"  # the title in the reader's language


class AnalysisExportForm(forms.Form):
    catalogue = CatalogueChoiceField(
        queryset=Catalogue.objects.order_by("-published_on"),
        to_field_name="version",
        empty_label=None,
        label=_("Catalogue version"),
    )
    country = forms.ChoiceField(choices=[("", _("All countries")), *countries], label=_("Country"), required=False)
    portfolio = forms.ModelChoiceField(
        queryset=ComparativePortfolio.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All portfolios"),
        label=_("Comparative portfolio"),
    )
    date_from = forms.DateField(
        required=False, label=_("Interviews from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=_("Interviews until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    layout = forms.ChoiceField(choices=LAYOUTS, initial="wide", widget=forms.RadioSelect, label=_("Layout"))
    format = forms.ChoiceField(choices=FORMATS, initial="xlsx", widget=forms.RadioSelect, label=_("Format"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = Catalogue.objects.current()
        if active:
            self.fields["catalogue"].initial = active.version
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse("exchange:analysis")
        self.helper.layout = Layout(
            Row(
                Column("catalogue", css_class="col-12 col-md-6 col-lg-3"),
                Column("country", css_class="col-12 col-md-6 col-lg-3"),
                Column("portfolio", css_class="col-12 col-md-6 col-lg-3"),
            ),
            Row(Column("date_from", css_class="col-6 col-lg-3"), Column("date_to", css_class="col-6 col-lg-3")),
            Row(Column("layout", css_class="col-12 col-md-6"), Column("format", css_class="col-12 col-md-6")),
            Submit("", _("Download")),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Must be on or after the first date."))
        return cleaned

    def analysis_filter(self) -> AnalysisFilter:
        data = self.cleaned_data
        return AnalysisFilter(
            catalogue=data["catalogue"],
            country=data["country"],
            portfolio=data["portfolio"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


MAX_UPLOAD_MB = 20


class LegacyImportForm(forms.Form):
    """A CSV or XLSX of legacy benchmarkings; checked only (dry run) unless told to import."""

    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("One row per benchmarking, in the documented format (the wide analysis export's columns)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file (dry run): list every error, import nothing"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("", _("Check or import")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB; split it.") % {"mb": MAX_UPLOAD_MB})
        from exchange.legacy_files import LegacyFileError, read_table

        try:  # a file that cannot be read, here next to the field; the rows' checks in the background job
            header, rows = read_table(upload.read(), upload.name)
            if upload.name.lower().endswith(".csv"):
                for _row in rows:  # a CSV line that cannot be parsed (fast); XLSX: its header only
                    pass
        except LegacyFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        upload.seek(0)
        return upload
