"""The demo's past: synthetic clusters, their benchmarkings since 2011 and the Gold assessments of
the most mature, batch by batch, for services/bulk.history_record to write under the rules.

Only the random, plausible part is here (names, dates, values, who did what): the terms, codes,
Gold results and checks are the service's. The random draws come in a fixed order, so one seed
always gives the same data.
"""

import datetime
import random
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from benchmarking.demo.calendar import board_meeting_after, noon
from benchmarking.demo.names import COUNTRIES, FIRST_NAMES, FORMS, LAST_NAMES, REGIONS, SECTOR_WORDS
from benchmarking.demo.values import MISSING_REASONS, plausible_values
from benchmarking.models import Expert, Interview, Label
from benchmarking.rules.dates import add_months
from benchmarking.rules.gold import active_gold_indicators
from benchmarking.rules.label_periods import bronze_terms
from benchmarking.services.bulk_records import HistoryBatch, PastBenchmarking, PastGoldAssessment
from clusters.models import Cluster, ComparativePortfolio


def spread_over_every_country(drawn: list[str]) -> list[str]:
    """The drawn countries, with each country of COUNTRIES that none was drawn for given to the
    last cluster of the most frequent one, as long as that one keeps a cluster: a batch of 48
    clusters or more spans all 48 countries, like the real database ("1,292 clusters from 48
    countries"), where weighted draws alone left two out of the default 300 (Iceland, Malta).
    The random draws themselves are unchanged, so the rest of the demo stays the same."""
    countries = [str(country) for country in drawn]
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

EARLIEST = datetime.date(2011, 1, 10)
BATCH = 500  # clusters a transaction writes


class DemoHistory:
    """Batches of synthetic clusters with their past, drawn from `rng`."""

    def __init__(self, rng: random.Random, *, experts: list[Expert], today: datetime.date):
        self.rng, self.experts, self.today = rng, experts, today
        self.portfolios = list(ComparativePortfolio.objects.all())
        self.used_slugs = set(Cluster.objects.values_list("slug", flat=True))

    def batches(self, count: int) -> Iterator[HistoryBatch]:
        for offset in range(0, count, BATCH):
            clusters = [self.cluster() for _ in range(min(BATCH, count - offset))]
            countries = spread_over_every_country([c.country for c in clusters])
            for cluster, country in zip(clusters, countries, strict=True):
                cluster.country = country
            yield self.past(clusters)

    def cluster(self) -> Cluster:
        rng = self.rng
        portfolio = rng.choice(self.portfolios)
        name = f"{rng.choice(REGIONS)} {rng.choice(SECTOR_WORDS[portfolio.slug])} {rng.choice(FORMS)}"
        base, slug, n = slugify(name), slugify(name), 1
        while slug in self.used_slugs:
            n += 1
            slug = f"{base}-{n}"
        self.used_slugs.add(slug)
        if n > 1:
            name = f"{name} {n}"
        return Cluster(
            name=name,
            slug=slug,
            country=rng.choice(COUNTRIES),
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

    def benchmark_dates(self) -> list[datetime.date]:
        """Benchmarking dates of one cluster: first somewhere since 2011, then every 2–3 years."""
        rng = self.rng
        span = (self.today - EARLIEST).days - 60
        dates = [EARLIEST + datetime.timedelta(days=rng.randint(0, span))]
        terms = bronze_terms(benchmarked_on=dates[0], previous=None)
        while rng.random() < 0.6:
            # Planned by the renewal rule (rules/label_terms.renewal_refusal), which the service
            # applies: a benchmarking renews the label valid on its day, never one not yet started.
            following = max(add_months(dates[-1], rng.randint(20, 36)), terms.valid_from)
            if following > self.today - datetime.timedelta(days=45):
                break
            dates.append(following)
            current = Label(valid_from=terms.valid_from, valid_until=terms.valid_until)
            terms = bronze_terms(benchmarked_on=following, previous=current)
        return dates

    def past(self, clusters: list[Cluster]) -> HistoryBatch:
        """Each cluster's benchmarkings, round by round, then the Gold assessments."""
        plans = {id(c): self.benchmark_dates() for c in clusters}
        maturity = {id(c): self.rng.uniform(0.15, 0.85) for c in clusters}
        benchmarkings = []
        for round_no in range(max(len(d) for d in plans.values())):
            batch = [c for c in clusters if len(plans[id(c)]) > round_no]
            people = [self.interview(plans[id(c)][round_no]) for c in batch]
            for cluster, (day, fields) in zip(batch, people, strict=True):
                m = min(0.95, maturity[id(cluster)] + 0.08 * round_no)
                values = plausible_values(self.rng, interview_date=day, maturity=m)
                benchmarkings.append(PastBenchmarking(cluster=cluster, date=day, values=values, **fields))
        return HistoryBatch(clusters, benchmarkings, self.gold_assessments(clusters, plans, maturity))

    def interview(self, day: datetime.date) -> tuple[datetime.date, dict]:
        rng = self.rng
        approved = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=rng.randint(10, 40)), datetime.time(11))
        )
        fields = {
            "expert": rng.choice([expert for expert in self.experts if expert.is_accredited_on(day)]),
            "mode": rng.choice([Interview.Mode.ON_SITE, Interview.Mode.VIDEO]),
            "interviewee_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "interviewee_role": "Cluster manager",
            "submitted_at": approved - datetime.timedelta(days=5),
            "approved_at": approved,
            "missing_reasons": MISSING_REASONS,
            "meeting": board_meeting_after(timezone.localdate(approved), self.today),
        }
        return day, fields

    def gold_assessments(self, clusters, plans, maturity) -> list[PastGoldAssessment]:
        """The excellence group: the most mature recently benchmarked clusters are assessed."""
        recent = self.today.replace(year=self.today.year - 2)
        candidates = [c for c in clusters if maturity[id(c)] > 0.7 and plans[id(c)][-1] > recent]
        indicators = active_gold_indicators()
        experts = list(Expert.objects.select_related("user").order_by("pk"))
        assessments = []
        for cluster in candidates:
            assessed_on = min(
                self.today - datetime.timedelta(days=1), plans[id(cluster)][-1] + datetime.timedelta(days=90)
            )
            scores = {i: Decimal(self.rng.randint(max(80, int(i.threshold)), 100)) for i in indicators}
            first, second = self.rng.sample([e for e in experts if e.is_accredited_on(assessed_on)], 2)
            assessments.append(
                PastGoldAssessment(
                    cluster=cluster,
                    first_assessor=first,
                    second_assessor=second,
                    assessed_on=assessed_on,
                    scores=scores,
                    recorded_at=noon(assessed_on),
                    meeting=board_meeting_after(assessed_on, self.today),
                )
            )
        return assessments
