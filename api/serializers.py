"""What the API returns. Public serializers show what the public pages show, no more."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from benchmarking.kinds import VALUE_COLUMNS
from benchmarking.models import Answer, Interview, Label, Report
from benchmarking.selectors.public_status import PublicStatus, label_public_status
from clusters.models import Cluster, ComparativePortfolio


class ErrorSerializer(serializers.Serializer):
    """Every error: a sentence, and for bad input the messages per parameter."""

    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class PortfolioRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComparativePortfolio
        fields = ["slug", "name"]


class PortfolioSerializer(serializers.ModelSerializer):
    clusters = serializers.IntegerField(source="listed_clusters", help_text="Benchmarked clusters listed.")

    class Meta:
        model = ComparativePortfolio
        fields = ["slug", "name", "clusters"]


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166 alpha-2 code.")
    name = serializers.CharField()
    clusters = serializers.IntegerField(help_text="Benchmarked clusters listed.")


class _PageUrl(serializers.Field):
    def __init__(self, view_name: str, key: str, **kwargs):
        self.view_name, self.key = view_name, key
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        url = reverse(self.view_name, kwargs={self.key: getattr(obj, self.key)})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


_PageUrl = extend_schema_field(OpenApiTypes.URI)(_PageUrl)


class ClusterSerializer(serializers.ModelSerializer):
    """A listed cluster with its current (latest) label, as in the public list."""

    country = serializers.CharField(source="country.code")
    country_name = serializers.CharField(source="country.name")
    portfolio = PortfolioRefSerializer()
    label_valid_until = serializers.DateField(source="latest_valid_until")
    label_status = serializers.ChoiceField(source="public_status", choices=PublicStatus.CHOICES)
    url = _PageUrl("clusters:detail", "slug", help_text="The cluster's public page.")

    class Meta:
        model = Cluster
        fields = ["slug", "name", "country", "country_name", "portfolio", "website", "label_valid_until",
                  "label_status", "url"]


class PublicLabelSerializer(serializers.ModelSerializer):
    level_name = serializers.CharField()
    status = serializers.SerializerMethodField(help_text="valid, expired, suspended or withdrawn, as of today.")
    url = _PageUrl("benchmarking:label_public", "code", help_text="The label's public verification page.")

    class Meta:
        model = Label
        fields = ["code", "level", "level_name", "status", "benchmarked_on", "valid_from", "valid_until", "url"]

    @extend_schema_field(serializers.ChoiceField(choices=PublicStatus.CHOICES))
    def get_status(self, label) -> str:
        return label_public_status(label)


class ClusterDetailSerializer(ClusterSerializer):
    labels = PublicLabelSerializer(many=True, help_text="Every label, latest first.")

    class Meta(ClusterSerializer.Meta):
        fields = [*ClusterSerializer.Meta.fields, "region", "labels"]


class ClusterRefSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")
    portfolio = serializers.CharField(source="portfolio.slug")

    class Meta:
        model = Cluster
        fields = ["slug", "name", "country", "portfolio"]


class LabelVerificationSerializer(PublicLabelSerializer):
    cluster = ClusterRefSerializer()

    class Meta(PublicLabelSerializer.Meta):
        fields = [*PublicLabelSerializer.Meta.fields, "awarded_on", "cluster"]


# --- For the secretariat ---------------------------------------------------------------


class InterviewSerializer(serializers.ModelSerializer):
    cluster = ClusterRefSerializer()
    expert = serializers.CharField(source="expert.accreditation_number", help_text="Accreditation number.")
    catalogue_version = serializers.CharField(source="catalogue.version")
    imported = serializers.BooleanField(source="is_imported", help_text="Imported from the earlier database.")

    class Meta:
        model = Interview
        fields = ["id", "cluster", "expert", "catalogue_version", "date", "mode", "status", "submitted_at",
                  "decided_at", "imported"]


class AnswerSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")
    kind = serializers.CharField(source="indicator.kind")
    number = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True, coerce_to_string=True)
    selected = serializers.ListField(child=serializers.CharField(), allow_null=True)
    parts = serializers.DictField(child=serializers.FloatField(), allow_null=True)

    class Meta:
        model = Answer
        fields = ["indicator", "kind", *VALUE_COLUMNS, "missing_reason", "comment"]


class InterviewDetailSerializer(InterviewSerializer):
    answers = AnswerSerializer(many=True)

    class Meta(InterviewSerializer.Meta):
        fields = [*InterviewSerializer.Meta.fields, "answers"]


class ReportSerializer(serializers.ModelSerializer):
    interview = serializers.IntegerField(source="interview_id")
    cluster = ClusterRefSerializer(source="interview.cluster")

    class Meta:
        model = Report
        fields = ["code", "interview", "cluster", "version", "issued_at"]


class ReportDetailSerializer(ReportSerializer):
    snapshot = serializers.JSONField(help_text="Groups, statistics and recommendations, as issued.")

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "snapshot"]
