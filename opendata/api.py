"""The open data in the API: the statistics and a credential's verification (public, throttled)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import ErrorSerializer
from api.views import PublicView
from opendata import credentials, selectors
from opendata.keys import KeysMissing

LEVELS = inline_serializer(
    "LevelCounts",
    {"bronze": serializers.IntegerField(), "silver": serializers.IntegerField(), "gold": serializers.IntegerField()},
)


def _levels(counts) -> dict:
    return {"bronze": counts.bronze, "silver": counts.silver, "gold": counts.gold}


class StatisticsView(PublicView, APIView):
    """Label statistics: clusters holding a valid label (by level of their current label) today, at
    the end of each year since the first label, by country and by comparative portfolio; labels
    awarded per year. Only label facts and counts."""

    @extend_schema(
        summary="Label statistics",
        tags=["public"],
        responses={429: ErrorSerializer, 200: inline_serializer("Statistics", {
            "day": serializers.DateField(),
            "valid": LEVELS,
            "listed_clusters": serializers.IntegerField(),
            "labels_awarded": serializers.IntegerField(),
            "years": serializers.ListField(child=inline_serializer("YearStatistics", {
                "year": serializers.IntegerField(), "day": serializers.DateField(),
                "valid": LEVELS, "awarded": LEVELS,
            })),
            "countries": serializers.ListField(child=inline_serializer("CountryStatistics", {
                "code": serializers.CharField(), "listed_clusters": serializers.IntegerField(), "valid": LEVELS,
            })),
            "portfolios": serializers.ListField(child=inline_serializer("PortfolioStatistics", {
                "slug": serializers.CharField(), "listed_clusters": serializers.IntegerField(), "valid": LEVELS,
            })),
        })},
    )  # fmt: skip
    def get(self, request):
        stats = selectors.statistics()
        return Response({
            "day": stats.today,
            "valid": _levels(stats.valid),
            "listed_clusters": stats.listed,
            "labels_awarded": stats.labels,
            "years": [
                {"year": row.year, "day": row.day, "valid": _levels(row.valid), "awarded": _levels(row.awarded)}
                for row in stats.years
            ],
            "countries": [
                {"code": row.key, "listed_clusters": row.listed, "valid": _levels(row.valid)} for row in stats.countries
            ],
            "portfolios": [
                {"slug": row.key, "listed_clusters": row.listed, "valid": _levels(row.valid)}
                for row in stats.portfolios
            ],
        })  # fmt: skip


class CredentialVerifyView(PublicView, APIView):
    """Verify a label's credential (a compact JWT): its signature against the site's keys (JWKS at
    /.well-known/jwks.json) and its status today (the revocation status list)."""

    @extend_schema(
        summary="Verify a label's credential",
        tags=["public"],
        request=inline_serializer("CredentialToVerify", {"credential": serializers.CharField()}),
        responses={400: ErrorSerializer, 429: ErrorSerializer, 200: inline_serializer("CredentialVerification", {
            "valid": serializers.BooleanField(),
            "signature_valid": serializers.BooleanField(),
            "revoked": serializers.BooleanField(),
            "expired": serializers.BooleanField(),
            "not_yet_valid": serializers.BooleanField(),
            "code": serializers.CharField(),
            "key_id": serializers.CharField(),
        })},
    )  # fmt: skip
    def post(self, request):
        text = request.data.get("credential") if isinstance(request.data, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise ValidationError({"credential": ["Give the credential (a compact JWT) as a string."]})
        try:
            result = credentials.verify(text)
        except KeysMissing as exc:
            raise ValidationError({"credential": ["This site has no signing key configured."]}) from exc
        if result.problem:
            raise ValidationError({"credential": [f"The credential is not valid: {result.problem}."]})
        return Response({
            "valid": result.valid,
            "signature_valid": result.signature_valid,
            "revoked": result.revoked,
            "expired": result.expired,
            "not_yet_valid": result.not_yet_valid,
            "code": result.facts.get("code", ""),
            "key_id": result.kid,
        })  # fmt: skip
