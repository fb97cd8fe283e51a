"""Open data: statistics, the dataset and its catalogue record, badges and credentials. Thin: the
figures come from opendata.selectors, the files from opendata.dataset and opendata.descriptors, the signatures from
opendata.credentials."""

import json

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from benchmarking.models import Label
from benchmarking.selectors.labels import label_status, public_label
from opendata import badges, charts, credentials, dataset, descriptors, keys, selectors, services
from opendata.forms import CredentialForm
from opendata.models import DatasetSnapshot

BADGE_MAX_AGE = 300  # seconds: a suspension shows on the clusters' sites within minutes
DATA_MAX_AGE = 3600
# Names, not words: the same in every language.
FILE_NAMES = {
    "csv": ".csv",
    "json": "ecei-open-data.json",
    "datapackage": "datapackage.json",
    "catalogue": "catalogue.jsonld",
    "dcat": "DCAT-AP",
    "digest": "SHA-256",
}


def _label(code: str) -> Label:
    label = public_label(code)
    if label is None:
        raise Http404("No label has this code.")
    return label


# --- Statistics ---------------------------------------------------------------------------


@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    stats = selectors.statistics()
    levels = charts.level_names()
    years = list(reversed(stats.years))
    context = {
        "stats": stats,
        "levels": levels,
        "years": stats.years,
        "years_chart": charts.stacked_bars(
            [(str(row.year), row.valid.as_list()) for row in years],
            description=_("Clusters holding a valid label at the end of each year, by level"),
        ),
        "awarded_chart": charts.stacked_bars(
            [(str(row.year), row.awarded.as_list()) for row in years],
            description=_("Labels awarded each year, by level"),
        ),
        "countries_chart": charts.share_bars(
            [(row.name, row.share) for row in stats.countries],
            description=_("Share of each country's benchmarked clusters holding a valid label today"),
        ),
        "portfolios_chart": charts.stacked_bars(
            [(row.name, row.valid.as_list()) for row in stats.portfolios],
            description=_("Clusters holding a valid label today, by comparative portfolio and level"),
        ),
    }
    return render(request, "opendata/statistics.html", context)


# --- The dataset --------------------------------------------------------------------------


@require_safe
def dataset_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    version = dataset.version_of(today)
    context = {
        "version": version,
        "tables": [(table, dataset.TABLES[table][0]) for table in dataset.TABLES],
        "snapshots": DatasetSnapshot.objects.all(),
        "current_year": today.year,
        "citation": descriptors.citation(version),
        "license": dataset.LICENSE,
        "files": FILE_NAMES,
    }
    return render(request, "opendata/dataset.html", context)


def _data(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=DATA_MAX_AGE)
    response["Access-Control-Allow-Origin"] = "*"  # open data: portals and notebooks read it from anywhere
    return response


@require_safe
def table_csv(request: HttpRequest, table: str) -> StreamingHttpResponse:
    if table not in dataset.TABLES:
        raise Http404("No such table.")
    today = timezone.localdate()
    response = StreamingHttpResponse(dataset.csv_lines(table, today), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ecei-{table}-{dataset.version_of(today)}.csv"'
    return _data(response)


@require_safe
def data_json(request: HttpRequest) -> StreamingHttpResponse:
    today = timezone.localdate()
    response = StreamingHttpResponse(dataset.json_chunks(today), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="ecei-open-data-{dataset.version_of(today)}.json"'
    return _data(response)


@require_safe
def datapackage(request: HttpRequest) -> JsonResponse:
    paths = {
        table: dataset.absolute(reverse("opendata:table_csv", kwargs={"table": table})) for table in dataset.TABLES
    }
    return _data(JsonResponse(descriptors.datapackage(timezone.localdate(), paths), json_dumps_params={"indent": 2}))


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    record = descriptors.dcat_record(timezone.localdate(), list(DatasetSnapshot.objects.all()))
    body = json.dumps(record, indent=2, ensure_ascii=False)
    return _data(HttpResponse(body, content_type="application/ld+json"))


@require_safe
def snapshot(request: HttpRequest, year: int) -> FileResponse:
    today = timezone.localdate()
    found = DatasetSnapshot.objects.filter(year=year).first()
    if year == today.year and services.snapshot_stale(found, today):
        found = services.snapshot_make(today=today)
    if found is None:
        raise Http404("No snapshot of this year.")
    handle = default_storage.open(found.file_name, "rb")
    response = FileResponse(handle, content_type="application/zip", filename=f"ecei-open-data-{found.version}.zip")
    response["ETag"] = f'"{found.sha256[:32]}"'
    return _data(response)


# --- Badges -------------------------------------------------------------------------------


@require_safe
def badge(request: HttpRequest, code: str) -> HttpResponse:
    label = _label(code)
    language = request.GET.get("lang", "en")
    if language not in badges.LANGUAGES:
        language = "en"
    link = credentials.label_url(label)
    svg = badges.badge_svg(label, language=language, link=link)
    etag = badges.etag_of(svg)
    response = get_conditional_response(request, etag=etag) or HttpResponse(svg, content_type="image/svg+xml")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=BADGE_MAX_AGE)
    return response


# --- Credentials --------------------------------------------------------------------------


def _keys_missing(request: HttpRequest) -> HttpResponse:
    return render(request, "opendata/keys_missing.html", status=503)


@require_safe
def credential(request: HttpRequest, code: str) -> HttpResponse:
    label = _label(code)
    try:
        token = credentials.label_credential(label)
    except keys.KeysMissing:
        return _keys_missing(request)
    response = HttpResponse(token, content_type="application/jwt")
    response["Content-Disposition"] = f'attachment; filename="ECEI-label-{label.code}.jwt"'
    patch_cache_control(response, no_store=True)
    return response


@require_safe
def jwks(request: HttpRequest) -> HttpResponse:
    try:
        published = keys.signing_keys().public_jwks()
    except keys.KeysMissing:
        published = {"keys": []}
    return _data(JsonResponse(published, content_type="application/jwk-set+json"))


@require_safe
def status_list(request: HttpRequest) -> HttpResponse:
    try:
        token = credentials.status_list_credential()
    except keys.KeysMissing:
        return _keys_missing(request)
    response = HttpResponse(token, content_type="application/jwt")
    patch_cache_control(response, public=True, max_age=BADGE_MAX_AGE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def achievement(request: HttpRequest, level: str) -> JsonResponse:
    if level not in Label.Level.values:
        raise Http404("No such level.")
    name = Label.Level(level).name.title()
    return _data(JsonResponse({
        "@context": [credentials.VC_CONTEXT, credentials.OB_CONTEXT],
        "id": request.build_absolute_uri(),
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": f"ECEI {name} Label: {Label.LEVEL_NAMES[level]}",
        "criteria": {"narrative": "Awarded by the European Cluster Excellence Initiative after a benchmarking "
                     "(Bronze), an audit (Silver) or an assessment (Gold) of the cluster management."},
    }))


@require_http_methods(["GET", "POST"])
def credential_verify(request: HttpRequest) -> HttpResponse:
    """A plain form: paste or upload a credential; the answer is on the page it posts to."""
    result = None
    if request.method == "POST":
        form = CredentialForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = credentials.verify(form.cleaned_data["text"])
            except keys.KeysMissing:
                return _keys_missing(request)
            if result.problem:
                form.add_error("credential", _problem_message(result.problem))
                result = None
    else:
        form = CredentialForm()
    context = {"form": form, "result": result}
    if result and result.label:
        context["status"] = label_status(result.label)
    return render(request, "opendata/credential_verify.html", context, status=400 if form.errors else 200)


def _problem_message(problem: str) -> str:
    return {
        credentials.BAD_FORMAT: _("This is not a credential of an ECEI label: it cannot be read."),
        credentials.BAD_SIGNATURE: _(
            "The signature of this credential is not valid: it was changed after it was issued, "
            "or it was not issued by this site."
        ),
        credentials.TOO_LONG: _("This text is too long to be a credential."),
    }[problem]
