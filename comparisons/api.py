"""The comparison in the API, for a cluster's own managers with a token (and the secretariat):
the same filters, checks and rules as the page, recorded the same way (channel "api")."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import ErrorSerializer
from api.throttling import TokenRateThrottle
from comparisons.forms import ComparisonForm
from comparisons.models import Comparison
from comparisons.rules import withheld_text
from comparisons.selectors.access import compared_catalogues, get_cluster_for_comparison
from comparisons.selectors.groups import NotComparable
from comparisons.selectors.table import comparison_data
from comparisons.services import comparison_make


class FiguresSerializer(serializers.Serializer):
    n = serializers.IntegerField()
    missing = serializers.IntegerField()
    q1 = serializers.FloatField(required=False)
    median = serializers.FloatField(required=False)
    q3 = serializers.FloatField(required=False)
    rank = serializers.FloatField(required=False, allow_null=True, help_text="This cluster's percentile rank.")


class SeriesSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    own = serializers.FloatField(allow_null=True)
    figures = FiguresSerializer(allow_null=True, help_text="null: fewer than the minimum answered, or withheld.")
    withheld = serializers.BooleanField(help_text="Withheld by the differencing rule (docs/comparisons.md).")


class DistributionSerializer(serializers.Serializer):
    own = serializers.ListField(child=serializers.CharField())
    figures = serializers.DictField(allow_null=True, help_text="n, missing and rows of option, count and share.")
    withheld = serializers.BooleanField()


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    question = serializers.CharField()
    own = serializers.CharField(help_text="This cluster's answer in words.")
    series = SeriesSerializer(many=True, required=False)
    distribution = DistributionSerializer(required=False)


class GroupSerializer(serializers.Serializer):
    size = serializers.IntegerField(help_text="Other clusters in the group (never who they are).")
    filters = serializers.DictField()
    described = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    minimum = serializers.IntegerField()
    withheld_figures = serializers.IntegerField()
    withheld_reason = serializers.CharField()


class ComparisonSerializer(serializers.Serializer):
    cluster = serializers.CharField()
    catalogue = serializers.CharField()
    group = GroupSerializer()
    indicators = IndicatorSerializer(many=True)


class RefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=["too_small", "too_close", "not_comparable"])
    needed = serializers.IntegerField(help_text="Clusters the group needs before it can be shown.")
    size = serializers.IntegerField()


def _list(name: str, kind, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, kind, many=True, explode=True, description=description)


@extend_schema(
    tags=["managers"],
    summary="Compare the cluster with a peer group chosen by filters",
    parameters=[
        _list("countries", OpenApiTypes.STR, "ISO 3166-1 alpha-2 codes"),
        _list("regions", OpenApiTypes.INT, "region ids (their countries)"),
        _list("portfolios", OpenApiTypes.INT, "comparative portfolio ids"),
        _list("bands", OpenApiTypes.INT, "size band ids"),
        _list("levels", OpenApiTypes.STR, "current label level: bronze, silver, gold"),
        _list("statuses", OpenApiTypes.STR, "current label status: valid, upcoming, expired, suspended, withdrawn"),
        _list("years", OpenApiTypes.INT, "years of the latest approved benchmarking"),
        OpenApiParameter("catalogue", OpenApiTypes.INT, description="catalogue id (default: the latest benchmarked)"),
    ],
    responses={
        200: ComparisonSerializer,
        400: ErrorSerializer,
        401: ErrorSerializer,
        404: ErrorSerializer,
        409: RefusalSerializer,
        429: ErrorSerializer,
    },
)
class ComparisonView(APIView):
    """For the cluster's managers (a token or a session) and the secretariat; anybody else: 404."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [TokenRateThrottle]

    def get(self, request, slug):
        try:
            cluster = get_cluster_for_comparison(request.user, slug)
        except Http404 as error:
            raise NotFound("No such cluster.") from error
        form = ComparisonForm(request.query_params, catalogues=compared_catalogues(cluster))
        if not form.is_valid():
            raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        try:
            result = comparison_make(
                cluster=cluster, user=request.user, filters=form.group_filters(), channel=Comparison.Channel.API
            )
        except NotComparable as error:
            return Response({"detail": str(error), "code": "not_comparable", "needed": 0, "size": 0}, status=409)
        if not result.is_shown:
            refusal = result.refusal
            body = {"detail": refusal.message, "code": refusal.code, "needed": refusal.needed, "size": result.size}
            return Response(body, status=409)
        return Response(comparison_data(result, withheld=withheld_text()))
