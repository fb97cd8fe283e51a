"""The demo's reference data, logins and synthetic experts (none of them service-owned data:
users and experts are the people the services check, not what they write)."""

import datetime
import random

from django.contrib.auth import get_user_model

from benchmarking.demo.names import COUNTRIES, FIRST_NAMES, LAST_NAMES
from benchmarking.models import BaselineRequirementSet, Catalogue, Expert, GoldIndicatorSet, RecommendationRule
from benchmarking.permissions import board_group
from benchmarking.services.bulk import fixtures_load
from clusters.models import Cluster

DEMO_PASSWORD = "ecei-demo-2026"  # noqa: S105 - the published password of the demo accounts only
DEMO_ACCOUNTS = [
    ("secretariat", "Secretariat administrator: review queue, labels, the Django admin"),
    ("expert", "Benchmarking expert Elena Expert: her interviews (drafts, one returned)"),
    ("expert2", "Benchmarking expert Marco Second: a submitted interview awaiting review"),
    ("manager", "Cluster manager: reads the reports of one cluster"),
    ("board", "EUCLES board member Bea Board: decides on the recommended labels in batches"),
]
PEOPLE = {
    "secretariat": ("Sam", "Secretariat", {"is_staff": True, "is_superuser": True}),
    "expert": ("Elena", "Expert", {}),
    "expert2": ("Marco", "Second", {}),
    "manager": ("Maria", "Manager", {}),
    "board": ("Bea", "Board", {}),
}


def ensure_reference_data() -> None:
    """Load each reference fixture only when missing, so the secretariat's edits survive a re-run."""
    if not Catalogue.objects.filter(version="1").exists():
        fixtures_load("portfolios", "catalogue_v1")
    if not RecommendationRule.objects.filter(indicator__catalogue__version="1").exists():
        fixtures_load("recommendation_rules_v1")
    if not Catalogue.objects.filter(version="2").exists():
        fixtures_load("catalogue_v2")
    if not RecommendationRule.objects.filter(indicator__catalogue__version="2").exists():
        fixtures_load("recommendation_rules_v2")
    if not GoldIndicatorSet.objects.exists():
        fixtures_load("gold_indicators_2020")
    if not BaselineRequirementSet.objects.exists():
        fixtures_load("baseline_requirements_2019")
    if not Cluster.objects.filter(country="MX").exists():
        fixtures_load("seed_clusters_mx")
    from comparisons.models import SizeBand  # the comparisons' regions, size bands and standard groups

    if not SizeBand.objects.exists():
        fixtures_load("comparison_groups")


def ensure_accounts(today: datetime.date) -> dict:
    """The demo logins (made once, with the published password); the two experts among them."""
    User = get_user_model()
    accounts = {}
    for username, (first, last, flags) in PEOPLE.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@ecei.example", **flags},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        accounts[username] = user
    accounts["board"].groups.add(board_group())
    for username, number, country in [("expert", "ESCA-0001", "DE"), ("expert2", "ESCA-0002", "IT")]:
        accounts[username], _ = Expert.objects.get_or_create(
            user=accounts[username],
            defaults={
                "accreditation_number": number,
                "accredited_from": datetime.date(2010, 6, 1),
                "accredited_until": today.replace(year=today.year + 3),
                "country": country,
                "languages": "English, German" if country == "DE" else "English, Italian",
            },
        )
    return accounts


def make_experts(rng: random.Random, count: int, today: datetime.date) -> list[Expert]:
    """Synthetic accredited experts (who never log in), some of them no longer accredited."""
    User = get_user_model()
    start = Expert.objects.count() + 1
    users = [
        User(
            username=f"esca{start + i:04d}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            email=f"esca{start + i:04d}@experts.example",
            password="!",  # unusable: synthetic experts never log in
        )
        for i in range(count)
    ]
    User.objects.bulk_create(users)
    users = User.objects.filter(username__in=[u.username for u in users])
    experts = [
        Expert(
            user=user,
            accreditation_number=f"ESCA-{start + 100 + i:04d}",
            accredited_from=datetime.date(2010, 1, 1),
            accredited_until=today.replace(year=today.year + rng.choice([-1, 1, 2, 3])),
            country=rng.choice(COUNTRIES),
            languages="English",
        )
        for i, user in enumerate(users)
    ]
    return Expert.objects.bulk_create(experts)
