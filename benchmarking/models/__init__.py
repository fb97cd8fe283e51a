"""The benchmarking domain: catalogue, experts, interviews, answers, labels, reports.

One module per aggregate; everything is imported here, so `from benchmarking.models import X`
and the migrations read as before:

- `catalogue`: Catalogue, Category, Indicator, EligibilityCriterion
- `experts`: Expert, ConflictOfInterest
- `interviews`: Interview, Answer (and the abstract AnswerValue), ReviewComment,
  ExpertRecommendation; the questionnaire in advance: ManagerInvitation, Proposal
- `silver_gold`: BaselineRequirementSet, BaselineRequirement, SilverAudit, ImprovementArea,
  RequirementCheck, AuditRecommendation; GoldIndicatorSet, GoldIndicator, GoldAssessment, GoldScore
- `labels`: label_validity, Label, LabelRecommendation (the board), LabelReminder
- `current_label`: current_label, current_label_on, CurrentLabelPeriod
- `reports`: RecommendationRule, Report
- `peers`: PeerValue, PeerGroupValues

The rules that act on these models (validity periods, eligibility, who may do what) live
in `services/` and `selectors/`; the models hold data, constraints and small,
intent-named questions about themselves.
"""

from benchmarking.models.catalogue import Catalogue, CatalogueQuerySet, Category, EligibilityCriterion, Indicator
from benchmarking.models.current_label import (
    LEVEL_RANK,
    CurrentLabelPeriod,
    current_label,
    current_label_on,
    most_recent,
)
from benchmarking.models.experts import ConflictOfInterest, Expert
from benchmarking.models.interviews import (
    Answer,
    AnswerValue,
    ExpertRecommendation,
    Interview,
    ManagerInvitation,
    Proposal,
    ReviewComment,
    value_or_reason,
)
from benchmarking.models.labels import (
    Label,
    LabelQuerySet,
    LabelRecommendation,
    LabelReminder,
    label_live_status,
    label_validity,
    satisfies,
)
from benchmarking.models.peers import PeerGroupValues, PeerValue, new_group_version
from benchmarking.models.reports import RecommendationRule, Report
from benchmarking.models.silver_gold import (
    AuditRecommendation,
    BaselineRequirement,
    BaselineRequirementSet,
    GoldAssessment,
    GoldIndicator,
    GoldIndicatorSet,
    GoldScore,
    ImprovementArea,
    RequirementCheck,
    SilverAudit,
)
from clusters.models import Cluster, ComparativePortfolio

__all__ = [
    "Answer",
    "Catalogue",
    "Category",
    "Cluster",
    "ComparativePortfolio",
    "ConflictOfInterest",
    "EligibilityCriterion",
    "Expert",
    "AuditRecommendation",
    "BaselineRequirement",
    "BaselineRequirementSet",
    "ExpertRecommendation",
    "GoldAssessment",
    "GoldIndicator",
    "GoldIndicatorSet",
    "GoldScore",
    "ImprovementArea",
    "Indicator",
    "Interview",
    "Label",
    "LabelRecommendation",
    "LabelReminder",
    "ManagerInvitation",
    "PeerGroupValues",
    "new_group_version",
    "PeerValue",
    "Proposal",
    "RecommendationRule",
    "Report",
    "RequirementCheck",
    "ReviewComment",
    "SilverAudit",
    # Not models, imported from here as before.
    "AnswerValue",
    "CatalogueQuerySet",
    "CurrentLabelPeriod",
    "LabelQuerySet",
    "LEVEL_RANK",
    "current_label",
    "current_label_on",
    "label_live_status",
    "label_validity",
    "most_recent",
    "satisfies",
    "value_or_reason",
]
