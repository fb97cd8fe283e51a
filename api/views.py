"""The read-only API. Reads come from the same selectors as the pages (one rule, one place)."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from api import serializers
from api.filters import ApiClusterFilter, InterviewFilter, ReportFilter
from api.pagination import PublicClusterPages
from api.permissions import IsSecretariat
from api.throttling import PublicRateThrottle, TokenRateThrottle
from benchmarking.models import Answer, Interview, Label, Report
from benchmarking.selectors.labels import normalise_code, public_label
from clusters.models import ComparativePortfolio
from directory import selectors as public
from exchange.models import ImportedBenchmarking

PUBLIC = ["public"]
SECRETARIAT = ["secretariat"]

_ERROR = serializers.ErrorSerializer
BAD_INPUT = {400: _ERROR, 404: _ERROR, 429: _ERROR}  # 404: a page past the end
NOT_FOUND = {404: _ERROR, 429: _ERROR}
TOKEN = {401: _ERROR, 403: _ERROR, 429: _ERROR}


def _documented(tags: list[str], summary: str, errors: dict):
    """Document the view's GET with its summary, its own response and the errors it can give."""

    def decorate(view):
        responses = {200: view.serializer_class, **errors}
        return extend_schema_view(get=extend_schema(tags=tags, summary=summary, responses=responses))(view)

    return decorate


def public_list(summary: str):
    return _documented(PUBLIC, summary, BAD_INPUT)


def public_detail(summary: str):
    return _documented(PUBLIC, summary, NOT_FOUND)


def secretariat_list(summary: str):
    return _documented(SECRETARIAT, summary, BAD_INPUT | TOKEN)


def secretariat_detail(summary: str):
    return _documented(SECRETARIAT, summary, NOT_FOUND | TOKEN)


class PublicView:
    """Open to everybody, throttled per address; a token is not needed and not looked at."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]


class SecretariatView:
    """For the secretariat: a token (or a logged-in session, for the docs page's "Try it out")."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsSecretariat]
    throttle_classes = [TokenRateThrottle]


@public_list("Benchmarked clusters with their current label")
class ClusterList(PublicView, generics.ListAPIView):
    """The public list: the same filters (q, country, portfolio, status, sort) and order as the page."""

    serializer_class = serializers.ClusterSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiClusterFilter
    pagination_class = PublicClusterPages

    def get_queryset(self):
        return public.public_clusters()


@public_detail("One benchmarked cluster with all its labels")
class ClusterDetail(PublicView, generics.RetrieveAPIView):
    serializer_class = serializers.ClusterDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):
        latest_first = Label.objects.order_by("-valid_until", "-pk")
        return public.public_clusters().prefetch_related(Prefetch("labels", queryset=latest_first))


@public_detail("Verify a label by its code")
class LabelVerify(PublicView, generics.RetrieveAPIView):
    """The label with this code (any case, spaces or dashes ignored), as the verification page shows it."""

    serializer_class = serializers.LabelVerificationSerializer

    def get_object(self):
        label = public_label(self.kwargs["code"])
        if label is None:
            raise NotFound(f"No label has the code {normalise_code(self.kwargs['code'])}.")
        return label


@public_list("Comparative portfolios")
class PortfolioList(PublicView, generics.ListAPIView):
    serializer_class = serializers.PortfolioSerializer

    def get_queryset(self):
        listed = Q(clusters__in=public.listed_clusters())
        return ComparativePortfolio.objects.annotate(listed_clusters=Count("clusters", filter=listed)).order_by("name")


@public_list("Countries with benchmarked clusters")
class CountryList(PublicView, generics.ListAPIView):
    serializer_class = serializers.CountrySerializer

    def get_queryset(self):
        return [
            {"code": tally.key, "name": tally.name, "clusters": tally.count} for tally in public.overview().countries
        ]


# --- The secretariat ---------------------------------------------------------------------


def _interviews():
    imported = ImportedBenchmarking.objects.filter(interview=OuterRef("pk"))
    return (
        Interview.objects.select_related("cluster__portfolio", "expert", "catalogue")
        .annotate(is_imported=Exists(imported))
        .order_by("-date", "-pk")
    )


@secretariat_list("Interviews")
class InterviewList(SecretariatView, generics.ListAPIView):
    serializer_class = serializers.InterviewSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = InterviewFilter

    def get_queryset(self):
        return _interviews()


@secretariat_detail("One interview with its answers")
class InterviewDetail(SecretariatView, generics.RetrieveAPIView):
    serializer_class = serializers.InterviewDetailSerializer

    def get_queryset(self):
        answers = Answer.objects.select_related("indicator").order_by("indicator__category__order", "indicator__order")
        return _interviews().prefetch_related(Prefetch("answers", queryset=answers))


def _reports():
    return Report.objects.select_related("interview__cluster__portfolio").order_by("-issued_at", "-pk")


@secretariat_list("Issued reports")
class ReportList(SecretariatView, generics.ListAPIView):
    serializer_class = serializers.ReportSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReportFilter

    def get_queryset(self):
        return _reports().defer(*Report.DOCUMENT_FIELDS)


@secretariat_detail("One issued report with its statistics")
class ReportDetail(SecretariatView, generics.RetrieveAPIView):
    serializer_class = serializers.ReportDetailSerializer
    lookup_field = "code"

    def get_queryset(self):
        return _reports().defer("translations")  # the snapshot in English only


@require_safe
def api_docs(request):
    """The API's documentation page: Swagger UI from our static files, no inline script."""
    return render(request, "api/docs.html")
