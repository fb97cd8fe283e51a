"""Clusters with approved benchmarkings in bulk, for the comparison tests: one refresh of the
peer values for all of them (as seed_demo does), instead of one per cluster."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from benchmarking.demo import build_answers, plausible_values
from benchmarking.models import Answer, Catalogue, Indicator, Interview
from benchmarking.services.peer_values import peer_values_refresh
from comparisons.selectors.matrix import forget_matrices
from tests import factories


def benchmarked(count, *, portfolio, country="DE", expert=None, values=None, seed=0, date=None):
    """`count` clusters with an approved interview on the current catalogue; `values(i)` gives
    each one's answers that differ from the plausible ones."""
    expert = expert or factories.ExpertFactory()
    catalogue = Catalogue.objects.current()
    indicators = list(Indicator.objects.filter(catalogue=catalogue))
    date = date or timezone.localdate() - datetime.timedelta(days=30)
    clusters, answers = [], []
    for i in range(count):
        cluster = factories.ClusterFactory(portfolio=portfolio, country=country)
        interview = Interview.objects.create(
            cluster=cluster, expert=expert, catalogue=catalogue, date=date, status=Interview.Status.APPROVED,
            mode=Interview.Mode.VIDEO, interviewee_name="A. Manager", interviewee_role="Cluster manager",
        )  # fmt: skip
        own = plausible_values(random.Random(seed + i), interview_date=date, maturity=0.6)
        own |= values(i) if values else {}
        answers += build_answers(interview, indicators, own)
        clusters.append(cluster)
    Answer.objects.bulk_create(answers)
    peer_values_refresh([c.pk for c in clusters])
    forget_matrices()
    return clusters


def manager_of(cluster, username=None):
    user = factories.UserFactory(username=username) if username else factories.UserFactory()
    cluster.managers.add(user)
    return user


def login(client, user):
    client.force_login(user)
    return client


User = get_user_model()
