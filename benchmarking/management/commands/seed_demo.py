"""Make a deterministic, realistic demo database, and the demo accounts.

    python manage.py seed_demo --clusters 1300 --seed 7
    python manage.py seed_demo --print-logins

Safe to run again: reference data is loaded only when missing, and synthetic clusters
only when there are none yet (use --force to add another batch).
"""

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max, Q
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify
from django_countries.fields import Country
from tqdm import tqdm

from benchmarking.demo import answer_rows, build_answers, plausible_values
from benchmarking.kinds import kind_of
from benchmarking.models import (
    Answer,
    BaselineRequirementSet,
    Catalogue,
    ConflictOfInterest,
    Expert,
    GoldAssessment,
    GoldIndicatorSet,
    GoldScore,
    Indicator,
    Interview,
    Label,
    LabelRecommendation,
    RecommendationRule,
)
from benchmarking.permissions import board_group
from benchmarking.services.dates import add_months
from benchmarking.services.label_facts import label_facts_refresh
from benchmarking.services.labels import bronze_terms, fixed_terms, label_code, label_code_serial
from benchmarking.services.peer_values import peer_values_refresh
from benchmarking.services.silver_gold import (
    active_gold_indicators,
    gold_result,
    last_two_benchmarkings,
    silver_window_refusal,
)
from clusters.models import Cluster, ComparativePortfolio
from clusters.text import fold
from ecei_site.bulk import insert_rows
from ecei_site.forking import default_jobs

DEMO_PASSWORD = "ecei-demo-2026"  # noqa: S105 - the published password of the demo accounts only
DEMO_ACCOUNTS = [
    ("secretariat", "Secretariat administrator: review queue, labels, the Django admin"),
    ("expert", "Benchmarking expert Elena Expert: her interviews (drafts, one returned)"),
    ("expert2", "Benchmarking expert Marco Second: a submitted interview awaiting review"),
    ("manager", "Cluster manager: reads the reports of one cluster"),
    ("board", "EUCLES board member Bea Board: decides on the recommended labels in batches"),
]
BOARD_SINCE = datetime.date(2020, 12, 1)  # EUCLES (settings.ECEI_AWARDING_BODIES): its board decides since
BOARD_MEETING_DAY = 20  # the demo board meets on the 20th of each month

# Countries weighted roughly as in the real database: mostly European, 48 in all.
COUNTRIES = (
    ["DE"] * 12
    + ["ES"] * 8
    + ["FR"] * 7
    + ["IT"] * 7
    + ["PL"] * 6
    + ["AT"] * 5
    + ["DK"] * 5
    + ["SE"] * 4
    + ["NL"] * 4
    + ["BE"] * 4
    + ["HR"] * 4
    + ["HU"] * 4
    + ["CZ"] * 4
    + ["RO"] * 3
    + ["PT"] * 3
    + ["FI"] * 3
    + ["NO"] * 3
    + ["SI"] * 3
    + ["SK"] * 3
    + ["BG"] * 3
    + ["GR"] * 3
    + ["IE"] * 2
    + ["LT"] * 2
    + ["LV"] * 2
    + ["EE"] * 2
    + ["CH"] * 2
    + ["GB"] * 2
    + ["TR"] * 3
    + ["MX"] * 3
    + ["RS"] * 2
    + ["UA"] * 2
    + ["IS", "LU", "MT", "CY", "MK", "ME", "BA", "AL", "MD", "GE", "AM", "IL", "TN", "MA", "BR", "CO", "CL"]
)
COUNTRY_NAMES = {code: str(Country(code).name) for code in COUNTRIES}
REGIONS = ["North", "South", "East", "West", "Central", "Upper", "Lower", "Greater", "Coastal", "Valley"]
SECTOR_WORDS = {
    "aviation-and-space": ["Aerospace", "Aviation", "Space"],
    "biotechnology": ["Biotech", "Life Sciences", "BioRegion"],
    "construction": ["Construction", "Building", "Timber Construction"],
    "creative-industries": ["Creative", "Design", "Media", "Games"],
    "energy-and-environment": ["Energy", "Cleantech", "Renewables", "Environment"],
    "food-industry": ["Food", "Agrifood", "Wine", "Dairy"],
    "health-and-medical-science": ["Health", "Medtech", "Medical"],
    "ict": ["ICT", "Digital", "Software", "IT"],
    "maritime-water": ["Maritime", "Water", "Blue Economy"],
    "new-materials-and-chemistry": ["Materials", "Chemistry", "Plastics"],
    "production-and-engineering": ["Mechatronics", "Engineering", "Manufacturing"],
    "sports-leisure-tourism": ["Tourism", "Outdoor", "Sports"],
    "transportation-and-mobility": ["Automotive", "Logistics", "Mobility", "Rail"],
}
FORMS = ["Cluster", "Network", "Alliance", "Cluster Initiative", "Innovation Cluster", "Competence Network"]
FIRST_NAMES = ["Anna", "Jan", "Marta", "Luca", "Sofia", "Piotr", "Eva", "Jonas", "Clara", "Mateo", "Ines", "Niels"]
LAST_NAMES = ["Novak", "Berger", "Rossi", "Garcia", "Jensen", "Kowalski", "Dubois", "Horvat", "Silva", "Nagy"]
EARLIEST = datetime.date(2011, 1, 10)
SILVER_REPORT = (
    "A half-day audit at the cluster office with the cluster manager and two board members. The strategy "
    "and its action plan are in place and monitored; the services are well used by the SMEs."
)
SILVER_RECOMMENDATIONS = [
    "Publish the yearly monitoring of the action plan to all participants.",
    "Add indicators on the digital and green transition to the strategy.",
    "Involve the research institutes more in the working groups.",
]


def spread_over_every_country(drawn: list[str]) -> list[str]:
    """The drawn countries, with each country of COUNTRIES that none was drawn for given to the
    last cluster of the most frequent one, as long as that one keeps a cluster: a batch of 48
    clusters or more spans all 48 countries, like the real database ("1,292 clusters from 48
    countries"), where weighted draws alone left two out of the default 300 (Iceland, Malta).
    The random draws themselves are unchanged, so the rest of the demo stays the same."""
    countries = list(drawn)
    counts = Counter(countries)
    for country in dict.fromkeys(COUNTRIES):
        if country in counts:
            continue
        donor = max(counts, key=counts.get, default=None)
        if donor is None or counts[donor] < 2:
            break
        last = len(countries) - 1 - countries[::-1].index(donor)
        countries[last] = country
        counts[donor] -= 1
        counts[country] = 1
    return countries


class Command(BaseCommand):
    help = "Make a deterministic synthetic demo dataset and the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--clusters", type=int, default=300, help="Synthetic clusters to make (default 300).")
        parser.add_argument("--experts", type=int, default=200, help="Accredited experts to make (default 200).")
        parser.add_argument("--seed", type=int, default=2010, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--force", action="store_true", help="Add synthetic clusters even if some exist.")
        parser.add_argument(
            "--jobs",
            type=int,
            default=default_jobs(),
            help="Processes that build the reports (default: one per core; 1 builds them in this one).",
        )
        parser.add_argument("--print-logins", action="store_true", help="Only print the demo logins.")
        parser.add_argument("--site-url", default="http://127.0.0.1:8000", help="Where the site is served.")

    def handle(self, *args, **options):
        if options["print_logins"]:
            self.print_logins(options["site_url"].rstrip("/"))
            return
        # Never log the queries, whatever DEBUG says: with DEBUG on, Django formats every
        # statement and keeps the last 9,000, the bulk inserts of 200 reports among them.
        with override_settings(DEBUG=False):
            self.seed(options)

    def seed(self, options):
        rng = random.Random(options["seed"])
        self.today = timezone.localdate()
        self.ensure_reference_data()
        with transaction.atomic():
            accounts = self.ensure_accounts()
        self.board = accounts["board"]
        if Interview.objects.exists() and not options["force"]:
            self.stdout.write("Demo data already present; nothing added (use --force to add more).")
            return
        # Benchmarkings before the 2019 revision answered catalogue v1; later ones the current one.
        self.catalogue = Catalogue.objects.current()
        self.earlier = Catalogue.objects.filter(version="1").first() or self.catalogue
        self.indicators = {
            c.pk: list(Indicator.objects.filter(catalogue=c).select_related("category"))
            for c in {self.catalogue, self.earlier}
        }
        with transaction.atomic():
            experts = self.make_experts(rng, options["experts"]) + [accounts["expert"], accounts["expert2"]]
        self.make_clusters_and_benchmarkings(rng, options["clusters"], experts, accounts["secretariat"])
        # bulk_create skips the approval service: every cluster's peer values written, then each
        # stored group built once (refreshing them 500 clusters at a time would rewrite the
        # "all clusters" group, every value of a catalogue, at each batch).
        peer_values_refresh()
        with transaction.atomic():
            self.make_demo_workload(rng, accounts)
        self.issue_reports(accounts["secretariat"], jobs=options["jobs"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Cluster.objects.count():,} clusters, {Interview.objects.count():,} interviews, "
                f"{Label.objects.count():,} labels."
            )
        )

    # --- Reference data and accounts ---------------------------------------------------------

    def ensure_reference_data(self):
        """Load each reference fixture only when missing, so the secretariat's edits survive a re-run."""
        if not Catalogue.objects.filter(version="1").exists():
            call_command("loaddata", "portfolios", "catalogue_v1", verbosity=0)
        if not RecommendationRule.objects.filter(indicator__catalogue__version="1").exists():
            call_command("loaddata", "recommendation_rules_v1", verbosity=0)
        if not Catalogue.objects.filter(version="2").exists():
            call_command("loaddata", "catalogue_v2", verbosity=0)
        if not RecommendationRule.objects.filter(indicator__catalogue__version="2").exists():
            call_command("loaddata", "recommendation_rules_v2", verbosity=0)
        if not GoldIndicatorSet.objects.exists():
            call_command("loaddata", "gold_indicators_2020", verbosity=0)
        if not BaselineRequirementSet.objects.exists():
            call_command("loaddata", "baseline_requirements_2019", verbosity=0)
        if not Cluster.objects.filter(country="MX").exists():
            call_command("loaddata", "seed_clusters_mx", verbosity=0)

    def ensure_accounts(self) -> dict:
        User = get_user_model()
        people = {
            "secretariat": ("Sam", "Secretariat", {"is_staff": True, "is_superuser": True}),
            "expert": ("Elena", "Expert", {}),
            "expert2": ("Marco", "Second", {}),
            "manager": ("Maria", "Manager", {}),
            "board": ("Bea", "Board", {}),
        }
        accounts = {}
        for username, (first, last, flags) in people.items():
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
                    "accredited_until": self.today.replace(year=self.today.year + 3),
                    "country": country,
                    "languages": "English, German" if country == "DE" else "English, Italian",
                },
            )
        return accounts

    def make_experts(self, rng: random.Random, count: int) -> list[Expert]:
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
                accredited_until=self.today.replace(year=self.today.year + rng.choice([-1, 1, 2, 3])),
                country=rng.choice(COUNTRIES),
                languages="English",
            )
            for i, user in enumerate(users)
        ]
        return Expert.objects.bulk_create(experts)

    # --- Clusters, interviews, answers, labels ------------------------------------------------

    def make_clusters_and_benchmarkings(self, rng, count: int, experts: list[Expert], reviewer):
        portfolios = list(ComparativePortfolio.objects.all())
        self.serials = self.existing_serials()
        used_slugs = set(Cluster.objects.values_list("slug", flat=True))
        with tqdm(total=count, desc="Clusters", unit="cluster", disable=count == 0) as progress:
            for offset in range(0, count, 500):
                size = min(500, count - offset)
                with transaction.atomic():
                    clusters = self.make_clusters(rng, size, portfolios, used_slugs)
                    self.benchmark(rng, clusters, experts, reviewer)
                progress.update(size)

    def existing_serials(self) -> dict[str, int]:
        serials: dict[str, int] = {}
        for country, serial in filter(None, map(label_code_serial, Label.objects.values_list("code", flat=True))):
            serials[country] = max(serials.get(country, 0), serial)
        return serials

    def make_clusters(self, rng, size: int, portfolios, used_slugs: set) -> list[Cluster]:
        clusters = []
        for _ in range(size):
            portfolio = rng.choice(portfolios)
            name = f"{rng.choice(REGIONS)} {rng.choice(SECTOR_WORDS[portfolio.slug])} {rng.choice(FORMS)}"
            base, slug, n = slugify(name), slugify(name), 1
            while slug in used_slugs:
                n += 1
                slug = f"{base}-{n}"
            used_slugs.add(slug)
            if n > 1:
                name = f"{name} {n}"
            country = rng.choice(COUNTRIES)
            clusters.append(
                Cluster(
                    name=name,
                    name_folded=fold(name),  # bulk_create skips save(), which keeps it otherwise
                    slug=slug,
                    country=country,
                    country_name=COUNTRY_NAMES[country],
                    region=f"{rng.choice(REGIONS)} region",
                    website=f"https://www.{slug}.example.org/" if rng.random() < 0.85 else "",
                    eccp_profile_url=f"https://clustercollaboration.example.eu/cluster-organisations/{slug}"
                    if rng.random() < 0.8
                    else "",
                    portfolio=portfolio,
                    organisation_name=f"{name} Management",
                    contact_email=f"office@{slug}.example.org",
                    description=f"The {name} connects companies, universities and public bodies "
                    f"working in {portfolio.name.lower()}.",
                )
            )
        for cluster, country in zip(clusters, spread_over_every_country([c.country for c in clusters]), strict=True):
            if cluster.country != country:
                cluster.country, cluster.country_name = country, COUNTRY_NAMES[country]
        return Cluster.objects.bulk_create(clusters)

    def benchmark_dates(self, rng) -> list[datetime.date]:
        """Benchmarking dates of one cluster: first somewhere since 2011, then every 2–3 years."""
        span = (self.today - EARLIEST).days - 60
        dates = [EARLIEST + datetime.timedelta(days=rng.randint(0, span))]
        terms = bronze_terms(benchmarked_on=dates[0], previous=None)
        while rng.random() < 0.6:
            # The renewal rule (services/labels.renewal_refusal): a benchmarking renews the label
            # valid on its day, never a renewal that has not started yet.
            following = max(add_months(dates[-1], rng.randint(20, 36)), terms.valid_from)
            if following > self.today - datetime.timedelta(days=45):
                break
            dates.append(following)
            current = Label(valid_from=terms.valid_from, valid_until=terms.valid_until)
            terms = bronze_terms(benchmarked_on=following, previous=current)
        return dates

    def benchmark(self, rng, clusters: list[Cluster], experts, reviewer):
        """Approved interviews with answers and labels, round by round so renewals can refer back."""
        plans = {c.pk: self.benchmark_dates(rng) for c in clusters}
        maturity = {c.pk: rng.uniform(0.15, 0.85) for c in clusters}
        previous: dict[int, Label] = {}
        for round_no in range(max(len(d) for d in plans.values())):
            batch = [c for c in clusters if len(plans[c.pk]) > round_no]
            interviews = Interview.objects.bulk_create(
                [self.approved_interview(rng, c, plans[c.pk][round_no], experts, reviewer) for c in batch]
            )
            answers = []
            for cluster, interview in zip(batch, interviews, strict=True):
                m = min(0.95, maturity[cluster.pk] + 0.08 * round_no)
                values = plausible_values(rng, interview_date=interview.date, maturity=m)
                answers.extend(answer_rows(interview.pk, self.indicators[interview.catalogue_id], values))
            insert_rows(Answer, answers)  # what bulk_create inserts, at the cost of the values that differ
            labels = Label.objects.bulk_create(
                [self.bronze_label(c, i, previous.get(c.pk)) for c, i in zip(batch, interviews, strict=True)]
            )
            self.board_approved(labels, reviewer)
            previous.update({label.cluster_id: label for label in labels})
        self.make_gold_labels(rng, clusters, plans, maturity, reviewer)
        label_facts_refresh([c.pk for c in clusters])  # bulk_create skips the label services

    def approved_interview(self, rng, cluster, day, experts, reviewer) -> Interview:
        decided = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=rng.randint(10, 40)), datetime.time(11))
        )
        return Interview(
            cluster=cluster,
            # Only an expert accredited on the day (the rule interview_start applies).
            expert=rng.choice([expert for expert in experts if expert.is_accredited_on(day)]),
            catalogue=self.catalogue_on(day),
            date=day,
            mode=rng.choice([Interview.Mode.ON_SITE, Interview.Mode.VIDEO]),
            interviewee_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            interviewee_role="Cluster manager",
            status=Interview.Status.APPROVED,
            submitted_at=decided - datetime.timedelta(days=5),
            decided_at=decided,
            decided_by=reviewer,
        )

    def catalogue_on(self, day: datetime.date) -> Catalogue:
        return self.catalogue if day >= self.catalogue.published_on else self.earlier

    def next_code(self, cluster, day, level) -> str:
        alpha3 = cluster.country.alpha3
        self.serials[alpha3] = self.serials.get(alpha3, 0) + 1
        return label_code(country_alpha3=alpha3, serial=self.serials[alpha3], benchmarked_on=day, level=level)

    def board_meeting(self, recommended_on: datetime.date) -> tuple[datetime.date, str]:
        """The demo board's first meeting after a recommendation: its date and name."""
        month = recommended_on if recommended_on.day < BOARD_MEETING_DAY else add_months(recommended_on, 1)
        day = min(month.replace(day=BOARD_MEETING_DAY), self.today)
        return day, f"EUCLES board meeting {month:%B %Y}"

    @staticmethod
    def noon(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

    def awarded_on(self, recommended_on: datetime.date) -> datetime.date:
        """Before EUCLES, the secretariat's approval was the award; since, the board's meeting."""
        if recommended_on < BOARD_SINCE:
            return min(recommended_on, self.today)
        return self.board_meeting(recommended_on)[0]

    def board_approved(self, labels: list[Label], reviewer) -> None:
        """The board's recorded approval of each label awarded since EUCLES: batches by meeting."""
        rows = []
        for label in labels:
            recommended_at = label.interview.decided_at if label.interview else self.noon(label.benchmarked_on)
            if recommended_at.date() < BOARD_SINCE:
                continue
            decided_on, meeting = self.board_meeting(recommended_at.date())
            rows.append(
                {
                    "cluster_id": label.cluster_id, "level": label.level, "source": label.source,
                    "benchmarked_on": label.benchmarked_on, "interview_id": label.interview_id,
                    "gold_assessment_id": label.gold_assessment_id, "recommended_by_id": reviewer.pk,
                    "recommended_at": recommended_at, "status": LabelRecommendation.Status.APPROVED,
                    "decided_on": decided_on, "meeting": meeting, "decided_by_id": self.board.pk,
                    "decided_at": recommended_at + (decided_on - recommended_at.date()), "label_id": label.pk,
                }  # fmt: skip
            )
        insert_rows(LabelRecommendation, rows)

    def bronze_label(self, cluster, interview, previous: Label | None) -> Label:
        terms = bronze_terms(benchmarked_on=interview.date, previous=previous)
        return Label(
            cluster=cluster,
            level=Label.Level.BRONZE,
            code=self.next_code(cluster, interview.date, Label.Level.BRONZE),
            benchmarked_on=interview.date,
            awarded_on=self.awarded_on(interview.decided_at.date()),
            valid_from=terms.valid_from,
            valid_until=terms.valid_until,
            renews=terms.renews,
            source=Label.Source.INTERVIEW,
            interview=interview,
        )

    def make_gold_labels(self, rng, clusters, plans, maturity, reviewer):
        """The excellence group: the most mature recently benchmarked clusters earn Gold."""
        candidates = [
            c
            for c in clusters
            if maturity[c.pk] > 0.7 and plans[c.pk][-1] > self.today.replace(year=self.today.year - 2)
        ]
        gold_indicators = active_gold_indicators()
        experts = list(Expert.objects.select_related("user").order_by("pk"))
        for cluster in candidates:
            assessed_on = min(
                self.today - datetime.timedelta(days=1), plans[cluster.pk][-1] + datetime.timedelta(days=90)
            )
            # Scores per indicator of the active set; overall and "passed" by the rule (gold_result).
            scores = {i: Decimal(rng.randint(max(80, int(i.threshold)), 100)) for i in gold_indicators}
            result = gold_result(scores)
            # Two different experts accredited on the day (the rule gold_assessors_refusal applies).
            first, second = rng.sample([e for e in experts if e.is_accredited_on(assessed_on)], 2)
            assessment = GoldAssessment.objects.create(
                cluster=cluster,
                indicator_set_id=gold_indicators[0].indicator_set_id,
                first_assessor=first,
                second_assessor=second,
                assessed_on=assessed_on,
                overall_score=result.shown_score(settings.ECEI_GOLD_MIN_SCORE),
                passed=result.passed,
                recorded_by=reviewer,
            )
            GoldScore.objects.bulk_create(
                GoldScore(assessment=assessment, indicator=i, score=score) for i, score in scores.items()
            )
            terms = fixed_terms(level=Label.Level.GOLD, benchmarked_on=assessed_on)
            label = Label.objects.create(
                cluster=cluster,
                level=Label.Level.GOLD,
                code=self.next_code(cluster, assessed_on, Label.Level.GOLD),
                benchmarked_on=assessed_on,
                awarded_on=self.awarded_on(assessed_on),
                valid_from=terms.valid_from,
                valid_until=terms.valid_until,
                source=Label.Source.ASSESSMENT,
                gold_assessment=assessment,
            )
            self.board_approved([label], reviewer)

    # --- The demo accounts' own work ----------------------------------------------------------

    def make_demo_workload(self, rng, accounts):
        """Work in progress for the demo experts, a cluster for the manager, a conflict of interest."""
        synthetic = list(Cluster.objects.exclude(country="MX").order_by("pk")[:6])
        if len(synthetic) < 6:
            return
        expert, expert2 = accounts["expert"], accounts["expert2"]
        for cluster in synthetic:
            # The eligibility facts the secretariat records, so the demo's interviews can be approved;
            # the submitted one (synthetic[2]) lacks the English website check: the review page asks for it.
            self.record_eligibility(cluster, accounts["secretariat"], website_checked=cluster != synthetic[2])
        recent = self.today - datetime.timedelta(days=3)
        draft = self.demo_interview(expert, synthetic[0], recent, Interview.Status.DRAFT)
        self.answer(rng, draft, only_categories={"A", "B"})
        returned = self.demo_interview(
            expert, synthetic[1], recent - datetime.timedelta(days=20), Interview.Status.RETURNED
        )
        self.answer(rng, returned)
        returned.review_comment = "Please check the staff figures: the FTE looks high for the headcount."
        returned.save(update_fields=["review_comment"])
        submitted = self.demo_interview(
            expert2, synthetic[2], recent - datetime.timedelta(days=10), Interview.Status.SUBMITTED
        )
        self.answer(rng, submitted)
        submitted_own = self.demo_interview(
            expert, synthetic[3], recent - datetime.timedelta(days=12), Interview.Status.SUBMITTED
        )
        self.answer(rng, submitted_own)
        ConflictOfInterest.objects.get_or_create(
            expert=expert, cluster=synthetic[4], defaults={"reason": "Former employee of the cluster management."}
        )
        managed = (
            Cluster.objects.filter(
                labels__level=Label.Level.BRONZE, labels__source=Label.Source.INTERVIEW, labels__renews__isnull=False
            )
            .order_by("pk")
            .first()
            or synthetic[5]
        )
        managed.managers.add(accounts["manager"])
        self.make_silver_audits(accounts["secretariat"])
        self.make_board_work(rng, accounts)

    def make_silver_audits(self, secretariat):
        """Two Silver audits through the service: one with every baseline requirement met (Silver
        awarded), one with a requirement not met (recorded, no label), each with its report."""
        from benchmarking.selectors.progress import improved_indicators
        from benchmarking.services.silver_gold import (
            Finding,
            active_baseline_requirements,
            silver_audit_auditor_refusal,
            silver_audit_record,
        )

        requirements = active_baseline_requirements()
        audited = 0
        recent_first = Cluster.objects.filter(silver_audits__isnull=True).annotate(
            latest=Max("interviews__date", filter=Q(interviews__status=Interview.Status.APPROVED))
        )
        for cluster in recent_first.filter(latest__isnull=False).order_by("-latest", "pk"):
            previous, latest = last_two_benchmarkings(cluster)
            if audited == 2 or not requirements:
                break
            if not previous or silver_window_refusal(previous.date, latest.date):
                continue
            audited_on = min(latest.date + datetime.timedelta(days=45), self.today)
            if not cluster.labels.filter(level=Label.Level.BRONZE, valid_until__gte=audited_on).exists():
                continue
            improved = improved_indicators(previous, latest)
            others = [i for i in self.indicators[latest.catalogue_id] if not kind_of(i).has_parts and i not in improved]
            chosen = (improved + others)[:3]
            unmet = {"R11"} if audited else set()
            self.record_eligibility(cluster, secretariat)  # Silver needs eligibility too
            auditor = next(
                (
                    expert
                    for expert in Expert.objects.select_related("user").order_by("pk")
                    if silver_audit_auditor_refusal(cluster=cluster, auditor=expert, audited_on=audited_on) is None
                ),
                None,
            )
            if auditor is None:
                continue
            outcome = silver_audit_record(
                cluster=cluster,
                auditor=auditor,
                audited_on=audited_on,
                findings=[
                    Finding(r, r.code not in unmet, "No satisfaction survey since 2021." if r.code in unmet else "")
                    for r in requirements
                ],
                report=SILVER_REPORT,
                recommendations=SILVER_RECOMMENDATIONS,
                areas=[
                    (i, "Clearly better than at the previous benchmarking; part of the action plan.") for i in chosen
                ],
                user=secretariat,
            )
            if outcome.recommendation:
                self.board_approves(outcome.recommendation, self.noon(audited_on))
            audited += 1

    def record_eligibility(self, cluster, user, *, website_checked=True, waiver=""):
        from benchmarking.services.eligibility import eligibility_facts_record

        eligibility_facts_record(
            cluster=cluster,
            user=user,
            expected_updated_at=None,
            eccp_profile_url="" if waiver else f"https://clustercollaboration.example.eu/{cluster.slug}",
            eccp_validated_on=None if waiver else self.today - datetime.timedelta(days=400),
            eligibility_waiver=waiver,
            eligibility_waiver_note=f"Recognised by the cluster programme of the {cluster.region}." if waiver else "",
            english_website_checked_on=self.today - datetime.timedelta(days=90) if website_checked else None,
            public_collaboration="Joint projects with the regional government, listed on the website.",
        )

    def board_approves(self, recommendation, recommended_at):
        """The demo board approves a recommendation at its first meeting after `recommended_at`."""
        from benchmarking.services.board import board_decide_one

        LabelRecommendation.objects.filter(pk=recommendation.pk).update(recommended_at=recommended_at)
        recommendation.refresh_from_db()
        decided_on, meeting = self.board_meeting(recommended_at.date())
        return board_decide_one(
            recommendation=recommendation, approve=True, decided_on=decided_on, meeting=meeting, user=self.board
        ).label

    def make_board_work(self, rng, accounts):
        """Recommendations for the EUCLES board: a batch it decided last meeting (one approved, one
        declined) and four waiting on the board's screen, one of them on a waiver. Through the
        services, so every rule and history entry applies."""
        from benchmarking.services.board import Decision, board_decide, label_recommend
        from benchmarking.services.labels import renewal_refusal

        secretariat, board = accounts["secretariat"], accounts["board"]
        day = self.today - datetime.timedelta(days=75)
        candidates = Cluster.objects.exclude(country="MX").order_by("pk")[6:80]
        # Clusters whose benchmarkings all came before this one, and which it may renew.
        clusters = [
            c
            for c in candidates
            if not c.labels.filter(benchmarked_on__gte=day).exists()
            and renewal_refusal(cluster=c, benchmarked_on=day) is None
        ][:6]
        recommendations = []
        for n, cluster in enumerate(clusters):
            self.record_eligibility(cluster, secretariat, waiver="regional_programme" if n == 5 else "")
            interview = self.demo_interview(rng.choice([accounts["expert"], accounts["expert2"]]), cluster, day,
                                            Interview.Status.APPROVED)  # fmt: skip
            self.answer(rng, interview)
            decided_at = self.noon(day + datetime.timedelta(days=10))
            Interview.objects.filter(pk=interview.pk).update(decided_at=decided_at, decided_by=secretariat)
            interview.refresh_from_db()
            recommendation = label_recommend(
                cluster=cluster, level=Label.Level.BRONZE, source=Label.Source.INTERVIEW,
                benchmarked_on=day, interview=interview, user=secretariat,
            )  # fmt: skip
            LabelRecommendation.objects.filter(pk=recommendation.pk).update(recommended_at=decided_at)
            recommendation.refresh_from_db()
            recommendations.append(recommendation)
        if len(recommendations) < 2:
            return
        decided_on, meeting = self.board_meeting(decided_at.date())
        board_decide(
            decisions=[
                Decision(recommendations[0], True),
                Decision(recommendations[1], False, "The ECCP profile shows no activity in the last two years."),
            ],
            decided_on=decided_on,
            meeting=meeting,
            user=board,
        )

    def demo_interview(self, expert, cluster, day, status) -> Interview:
        submitted = timezone.now() if status != Interview.Status.DRAFT else None
        return Interview.objects.create(
            cluster=cluster,
            expert=expert,
            catalogue=self.catalogue,
            date=day,
            mode=Interview.Mode.VIDEO,
            interviewee_name="Chris Cluster",
            interviewee_role="Cluster manager",
            status=status,
            submitted_at=submitted,
        )

    def answer(self, rng, interview, only_categories=None):
        values = plausible_values(rng, interview_date=interview.date, maturity=0.6)
        indicators = [
            i
            for i in self.indicators[interview.catalogue_id]
            if only_categories is None or i.category.code in only_categories
        ]
        Answer.objects.bulk_create(build_answers(interview, indicators, values))
        if interview.status == Interview.Status.APPROVED:
            peer_values_refresh([interview.cluster_id])  # made approved here, not by the approval service

    def issue_reports(self, reviewer, *, jobs: int):
        """The individual reports of each cluster's latest approved interview per catalogue version,
        built in `jobs` processes."""
        from benchmarking.services.reports import reports_issue_latest

        issued = 0
        # Not inside a transaction: the workers would not see what it wrote (ecei_site.forking).
        # Each batch of reports is written in a transaction of its own.
        for catalogue in (self.earlier, self.catalogue) if self.earlier != self.catalogue else (self.catalogue,):
            issued += reports_issue_latest(catalogue=catalogue, user=reviewer, jobs=jobs)
        self.stdout.write(f"Issued {issued:,} individual reports.")

    def print_logins(self, site_url: str):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for username, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} {role}")
        self.stdout.write(f"  Site: {site_url}/   Admin: {site_url}/admin/\n")
