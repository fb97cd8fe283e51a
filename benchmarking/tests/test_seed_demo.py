"""seed_demo: deterministic, realistic, consistent with the label rules, and re-runnable."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from benchmarking.models import Answer, Expert, Interview, Label, Report
from benchmarking.rules.label_periods import bronze_terms
from clusters.models import Cluster

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def snapshot():
    return list(Cluster.objects.order_by("slug").values_list("slug", "country", "portfolio__slug")), list(
        Answer.objects.order_by("interview__cluster__slug", "interview__date", "indicator__code").values_list(
            "number", "choice", "parts"
        )[:500]
    )


def test_it_makes_the_demo_accounts_and_prints_the_logins(db):
    seed(clusters=20)
    output = seed(print_logins=True, site_url="http://127.0.0.1:8001")
    User = get_user_model()
    assert User.objects.get(username="secretariat").is_superuser
    assert Expert.objects.filter(user__username__in=["expert", "expert2"]).count() == 2
    assert "ecei-demo-2026" in output and "expert2" in output
    assert "http://127.0.0.1:8001/admin/" in output


def test_it_loads_the_reference_data_and_the_seed_listing(db):
    seed(clusters=5)
    assert Label.objects.filter(source="import", cluster__country="MX").count() == 35
    assert Cluster.objects.count() == 35 + 5


def test_it_ends_with_what_it_made(db):
    output = seed(clusters=5)
    made = (Cluster.objects.count(), Interview.objects.count(), Label.objects.count())
    assert f"Issued {Report.objects.count():,} individual reports." in output
    assert "Demo data ready: {:,} clusters, {:,} interviews, {:,} labels.".format(*made) in output


def test_every_approved_interview_answers_all_indicators_of_its_catalogue(db):
    """Benchmarkings before the 2019 revision on v1 (36 indicators), later ones on v2 (48)."""
    seed(clusters=30)
    approved = Interview.objects.filter(status="approved").annotate(n=Count("answers"))
    counts = set(approved.values_list("catalogue__version", "n"))
    assert counts == {("1", 36), ("2", 48)}
    assert not approved.filter(catalogue__version="1", date__gte=datetime.date(2019, 11, 15)).exists()
    assert not approved.filter(catalogue__version="2", date__lt=datetime.date(2019, 11, 15)).exists()
    assert Report.objects.filter(interview__catalogue__version="1").exists()
    assert Report.objects.filter(interview__catalogue__version="2").exists()


def test_counts_add_up_to_their_totals_and_shares_to_100(db):
    seed(clusters=30)
    for interview in Interview.objects.filter(status="approved").prefetch_related("answers__indicator")[:40]:
        answers = {a.indicator.code: a for a in interview.answers.all()}
        assert sum(answers["A5"].parts.values()) == answers["A4"].number
        assert sum(answers["A6"].parts.values()) == 100
        assert sum(answers["C2"].parts.values()) == 100
        assert answers["B4"].number <= answers["B3"].number


def test_public_funds_are_about_half_of_the_budget(db):
    seed(clusters=200)
    public = ["regional public funds", "national public funds", "EU funds"]
    shares = [sum(a.parts[p] for p in public) for a in Answer.objects.filter(indicator__code="C2")]
    assert 40 <= sum(shares) / len(shares) <= 60


def test_labels_follow_the_validity_rules(db):
    seed(clusters=60)
    for label in Label.objects.filter(level="bronze", source="interview").select_related("renews", "interview"):
        terms = bronze_terms(benchmarked_on=label.interview.date, previous=label.renews)
        assert (label.valid_from, label.valid_until) == (terms.valid_from, terms.valid_until)
    assert Label.objects.filter(renews__isnull=False).exists()
    assert Label.objects.values("code").distinct().count() == Label.objects.count()


def test_demo_renewals_follow_the_renewal_rule(db):
    """Each benchmarking renews only the label valid on its day (or in its grace year), never a
    label that has not started, and no two Bronze periods of a cluster overlap."""
    seed(clusters=200)
    by_cluster = {}
    for label in Label.objects.filter(level="bronze").order_by("benchmarked_on", "pk"):
        by_cluster.setdefault(label.cluster_id, []).append(label)
    for labels in by_cluster.values():
        for k, label in enumerate(labels):
            earlier = labels[:k]
            assert not [e for e in earlier if e.valid_from > label.benchmarked_on], label.code
            started = [e for e in earlier if e.valid_from <= label.benchmarked_on]
            expected = bronze_terms(benchmarked_on=label.benchmarked_on, previous=started[-1] if started else None)
            assert (label.valid_from, label.valid_until, label.renews) == (*expected_dates(expected), expected.renews)
        for before, after in zip(labels, labels[1:], strict=False):
            assert after.valid_from > before.valid_until


def expected_dates(terms):
    return terms.valid_from, terms.valid_until


class Undo(Exception):
    pass


def test_the_same_seed_gives_the_same_data(db):
    runs = []
    for _ in range(2):
        try:
            with transaction.atomic():
                seed(clusters=15, seed=7)
                runs.append(snapshot())
                raise Undo  # roll the first run back so the second starts from the same state
        except Undo:
            pass
    assert runs[0] == runs[1]
    assert len(runs[0][0]) == 35 + 15


def test_running_it_again_adds_nothing(db):
    seed(clusters=10)
    before = Cluster.objects.count(), Interview.objects.count()
    assert "nothing added" in seed(clusters=10)
    assert (Cluster.objects.count(), Interview.objects.count()) == before


def test_each_demo_report_is_the_snapshot_a_single_issue_gives_in_every_language(db):
    """seed_demo issues its reports in bulk, from words and peers kept across reports; each is,
    key for key and value for value, what issuing that report alone gives. Keys compared sorted:
    PostgreSQL's jsonb keeps its own key order (SQLite's JSON keeps the order written)."""
    import json

    from benchmarking.selectors.reports import build_snapshots

    def same(value):
        return json.dumps(value, sort_keys=True)

    seed(clusters=25)
    reports = list(Report.objects.select_related("interview"))
    assert len(reports) > 25
    assert any(r.snapshot["progress"] for r in reports)
    for report in reports:
        single = build_snapshots(report.interview)
        assert same(single.pop("en")) == same(report.snapshot)
        assert same(single) == same(report.translations)


def test_reports_built_by_worker_processes_are_those_built_in_one(tmp_path):
    """seed_demo shares the reports out to forked processes (ecei_site.forking), which cannot
    read the suite's in-memory database: run it on SQLite files, with --jobs 2 and --jobs 1,
    and compare every report's code and stored JSON text."""
    import os
    import shutil
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}

    def manage(database: Path, *args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=root,
            env={**env, "DATABASE_URL": f"sqlite:///{database}"},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr

    def reports(database: Path) -> list[tuple]:
        with sqlite3.connect(database) as db:
            return db.execute(
                "SELECT code, interview_id, snapshot, translations FROM benchmarking_report ORDER BY code"
            ).fetchall()

    forked, single = tmp_path / "forked.sqlite3", tmp_path / "single.sqlite3"
    manage(forked, "migrate", "-v0")
    shutil.copy(forked, single)
    manage(forked, "seed_demo", "--clusters", "30", "--jobs", "2")
    manage(single, "seed_demo", "--clusters", "30", "--jobs", "1")

    issued = reports(forked)
    assert len(issued) > 30
    assert issued == reports(single)
