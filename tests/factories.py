"""Test data factories. Reference data (portfolios, catalogue v1) comes from the fixtures."""

import datetime
import random

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from benchmarking.demo import build_answers, plausible_values
from benchmarking.models import Catalogue, Expert, Indicator, Interview, Label
from benchmarking.services.label_facts import label_facts_refresh
from benchmarking.services.peer_values import peer_values_refresh
from clusters.models import Cluster, ComparativePortfolio

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


class PortfolioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComparativePortfolio
        django_get_or_create = ("slug",)

    name = "ICT"
    slug = "ict"


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Test Cluster {n}")
    slug = factory.Sequence(lambda n: f"test-cluster-{n}")
    country = "DE"
    region = "Bavaria"
    website = factory.LazyAttribute(lambda c: f"https://{c.slug}.example.org/")
    portfolio = factory.SubFactory(PortfolioFactory)
    organisation_name = factory.LazyAttribute(lambda c: f"{c.name} e.V.")
    contact_email = factory.LazyAttribute(lambda c: f"manager@{c.slug}.example.org")

    class Params:
        # The eligibility facts a reviewer records (services/eligibility.py), all present.
        eligible = factory.Trait(
            eccp_profile_url=factory.LazyAttribute(
                lambda c: f"https://clustercollaboration.eu/cluster-organisations/{c.slug}"
            ),
            eccp_validated_on=datetime.date(2024, 1, 10),
            english_website_checked_on=datetime.date(2024, 1, 10),
            public_collaboration="Joint projects with the regional government, shown on the website.",
        )


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    user = factory.SubFactory(UserFactory)
    accreditation_number = factory.Sequence(lambda n: f"ESCA-{n:04d}")
    accredited_from = datetime.date(2015, 1, 1)
    accredited_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=3 * 365))
    country = "DE"
    languages = "English, German"


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    cluster = factory.SubFactory(ClusterFactory)
    expert = factory.SubFactory(ExpertFactory)
    catalogue = factory.LazyFunction(lambda: Catalogue.objects.current())
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    mode = Interview.Mode.VIDEO
    interviewee_name = factory.Faker("name")
    interviewee_role = "Cluster manager"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Like the approval service, keep the reports' stored peer values.
        interview = super()._create(model_class, *args, **kwargs)
        if interview.status == Interview.Status.APPROVED:
            peer_values_refresh([interview.cluster_id])
        return interview


class LabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Label

    cluster = factory.SubFactory(ClusterFactory)
    level = Label.Level.BRONZE
    code = factory.Sequence(lambda n: f"DEU{n + 1:03d}202401B")
    benchmarked_on = datetime.date(2024, 1, 15)
    awarded_on = datetime.date(2024, 2, 1)
    valid_from = datetime.date(2024, 1, 15)
    valid_until = datetime.date(2026, 1, 15)
    source = Label.Source.IMPORT

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Like every path that creates a label, keep the cluster's public label facts.
        label = super()._create(model_class, *args, **kwargs)
        label_facts_refresh([label.cluster_id])
        return label


def answer_all(interview: Interview, *, seed: int = 1, maturity: float = 0.6, **overrides) -> Interview:
    """Give `interview` a plausible answer to every indicator; `overrides` replace values by code."""
    rng = random.Random(seed)
    values = plausible_values(rng, interview_date=interview.date, maturity=maturity) | overrides
    indicators = Indicator.objects.filter(catalogue=interview.catalogue)
    from benchmarking.models import Answer

    Answer.objects.bulk_create(build_answers(interview, indicators, values))
    if interview.status == Interview.Status.APPROVED:
        peer_values_refresh([interview.cluster_id])  # the approval service would, after the answers
    return interview


def approved_interview(**kwargs) -> Interview:
    """An approved interview with all 36 answers (no label: award one explicitly if needed)."""
    seed = kwargs.pop("seed", 1)
    maturity = kwargs.pop("maturity", 0.6)
    overrides = kwargs.pop("values", {})
    interview = InterviewFactory(status=Interview.Status.APPROVED, **kwargs)
    return answer_all(interview, seed=seed, maturity=maturity, **overrides)


# --- The EUCLES board --------------------------------------------------------------------------


def board_member(**kwargs):
    """A user in the EUCLES board's group."""
    from benchmarking.permissions import board_group

    user = UserFactory(**kwargs)
    user.groups.add(board_group())
    return user


def board_approves(recommendation, *, user=None, decided_on=None, meeting="Board meeting (test)") -> Label:
    """The board approves `recommendation` (by a board member who neither conducted nor reviewed it)."""
    from benchmarking.services.board import board_decide_one

    decided = board_decide_one(
        recommendation=recommendation,
        approve=True,
        decided_on=decided_on or timezone.localdate(),
        meeting=meeting,
        user=user or board_member(),
    )
    return decided.label


def approve_and_award(*, interview: Interview, user, **board) -> Label:
    """The two steps of a Bronze award: the secretariat approves, then the board approves."""
    from benchmarking.services.review import interview_approve

    approval = interview_approve(interview=interview, user=user)
    return board_approves(approval.recommendation, **board)
