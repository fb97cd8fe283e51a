"""The individual report: who may read it, the peers it compares with, and its snapshot.

A report is a document: `build_snapshot` turns the state of the database on the day of
issue into plain JSON (groups, statistics, recommendations, progress), and the page and
the PDF are drawn from that JSON alone, so a report opened years later shows the same
numbers whatever was benchmarked since.

Peers are other clusters, each counted once with its latest approved interview on the
report's catalogue version. Building a snapshot costs a fixed number of queries whatever
the size of the groups (the peers' answers are read in one query and summarised in
Python: see `PeerPool`).
"""

import bisect
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from benchmarking.models import (
    Answer,
    Catalogue,
    ExpertRecommendation,
    Indicator,
    Interview,
    Label,
    RecommendationRule,
    Report,
)
from benchmarking.permissions import is_secretariat
from benchmarking.selectors import statistics
from benchmarking.selectors.interviews import format_answer
from benchmarking.selectors.progress import Trend, interview_progress
from clusters.models import Cluster

SNAPSHOT_SCHEMA = 1
GROUPS = RecommendationRule.Group  # portfolio, country, all, excellence: one vocabulary
ANSWER_FIELDS = ("number", "boolean", "choice", "selected", "parts", "missing_reason")
MISSING = object()  # a missing-value reason (or no answer row): excluded from statistics, counted


# --- Access ----------------------------------------------------------------------------------


def may_read_report(user, report: Report) -> bool:
    """The secretariat, the interviewing expert and the cluster's managers read a report."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_secretariat(user):
        return True
    interview = report.interview
    if interview.expert.user_id == user.pk:
        return True
    return interview.cluster.managers.filter(pk=user.pk).exists()


def get_report_for_user(user, code: str) -> Report:
    """The report `code` if `user` may read it, else 404: whether it exists is not theirs to know."""
    report = Report.objects.select_related("interview__expert", "interview__cluster").filter(code=code).first()
    if report is None or not may_read_report(user, report):
        raise Http404("No such report.")
    return report


def managed_clusters(user) -> list[Cluster]:
    """The user's clusters with their labels and their interviews' issued reports (4 queries)."""
    reports = Prefetch("reports", queryset=Report.objects.order_by("-version"))
    approved = Prefetch(
        "interviews",
        queryset=Interview.objects.filter(status=Interview.Status.APPROVED).prefetch_related(reports),
        to_attr="approved_interviews",
    )
    return list(Cluster.objects.filter(managers=user).select_related("portfolio").prefetch_related("labels", approved))


# --- Peers -----------------------------------------------------------------------------------


def latest_approved_interviews(catalogue: Catalogue):
    """Each cluster's latest approved interview on `catalogue` (by date, then id), as a queryset."""
    approved = Interview.objects.filter(catalogue=catalogue, status=Interview.Status.APPROVED)
    later = approved.filter(cluster=OuterRef("cluster")).filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk"))
    )
    return approved.filter(~Exists(later))


def valid_gold_clusters(today) -> set[int]:
    """Clusters holding a valid Gold label today (Label.is_valid in SQL): the excellence group."""
    return set(
        Label.objects.filter(level=Label.Level.GOLD).valid_on(today).values_list("cluster_id", flat=True)
    )


def _value(indicator: Indicator, row: dict):
    """The value a statistic uses: a float, 'yes'/'no', an option, a list of options, or a dict of parts."""
    if row is None or row["missing_reason"]:
        return MISSING
    kind = indicator.kind
    if kind in Indicator.NUMBER_KINDS:
        return MISSING if row["number"] is None else float(row["number"])
    if kind == Indicator.Kind.YES_NO:
        return MISSING if row["boolean"] is None else ("yes" if row["boolean"] else "no")
    if kind == Indicator.Kind.CHOICE:
        return row["choice"] or MISSING
    if kind == Indicator.Kind.MULTI:
        return MISSING if row["selected"] is None else list(row["selected"])
    if not row["parts"]:
        return MISSING
    return {part: float(v) for part, v in row["parts"].items() if v is not None}


def series_values(indicator: Indicator, value) -> dict:
    """The numeric series an answer feeds: the number itself, or each part (and, for counts,
    each part's share of the total, e.g. the share of SMEs among the participants)."""
    if value is MISSING:
        return {}
    if indicator.is_number:
        return {"": value}
    if not indicator.has_parts:
        return {}
    series = {part: value[part] for part in indicator.options if part in value}
    if indicator.kind == Indicator.Kind.COUNTS:
        total = sum(value.values())
        if total > 0:
            series |= {f"{part}|share": 100.0 * value[part] / total for part in indicator.options if part in value}
    return series


@dataclass
class GroupData:
    """One comparison group's answers, summarised per indicator: sorted numbers, counted options."""

    clusters: set[int] = field(default_factory=set)
    numbers: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    options: dict[str, tuple[Counter, int]] = field(default_factory=dict)  # code -> (counted options, answering)
    missing: Counter = field(default_factory=Counter)


@dataclass
class PeerPool:
    """Every cluster's latest approved answers on one catalogue, grouped for comparison.

    `values[cluster_id][code]` is a statistic's value (or MISSING). Groups are built on
    first use and then serve every report: seed_demo issues a thousand reports from one pool.
    """

    indicators: list[Indicator]
    clusters: dict[int, dict]  # cluster_id -> {"country": ..., "portfolio_id": ..., "interview_id": ...}
    values: dict[int, dict[str, object]]
    gold: set[int]
    _groups: dict = field(default_factory=dict)

    def members(self, key: tuple) -> set[int]:
        kind, value = key
        if kind == GROUPS.ALL:
            return set(self.clusters)
        if kind == GROUPS.EXCELLENCE:
            return self.gold & set(self.clusters)
        field_name = "portfolio_id" if kind == GROUPS.PORTFOLIO else "country"
        return {pk for pk, meta in self.clusters.items() if meta[field_name] == value}

    def group(self, key: tuple) -> GroupData:
        if key not in self._groups:
            self._groups[key] = self._summarise(self.members(key))
        return self._groups[key]

    def _summarise(self, members: set[int]) -> GroupData:
        data = GroupData(clusters=members)
        for indicator in self.indicators:
            code = indicator.code
            answers = [self.values[pk].get(code, MISSING) for pk in members]
            data.missing[code] = sum(1 for a in answers if a is MISSING)
            given = [a for a in answers if a is not MISSING]
            if indicator.has_options or indicator.kind == Indicator.Kind.YES_NO:
                if indicator.kind == Indicator.Kind.MULTI:
                    data.options[code] = (Counter(o for chosen in given for o in set(chosen)), len(given))
                else:
                    data.options[code] = (Counter(given), len(given))
                continue
            by_series: dict[str, list[float]] = {}
            for answer in given:
                for name, number in series_values(indicator, answer).items():
                    by_series.setdefault(name, []).append(number)
            for name, numbers in by_series.items():
                data.numbers[(code, name)] = sorted(numbers)
        return data


def load_peer_pool(catalogue: Catalogue, indicators: list[Indicator], *, today) -> PeerPool:
    """The pool of every cluster's latest approved interview on `catalogue` (3 queries).

    The answers are streamed in chunks and only their statistic values are kept, so the
    pool holds one small dict per cluster, never the answer rows.
    """
    latest = latest_approved_interviews(catalogue)
    clusters = {
        row["cluster_id"]: {
            "country": row["cluster__country"],
            "portfolio_id": row["cluster__portfolio_id"],
            "interview_id": row["pk"],
        }
        for row in latest.values("pk", "cluster_id", "cluster__country", "cluster__portfolio_id")
    }
    cluster_of = {meta["interview_id"]: pk for pk, meta in clusters.items()}
    by_id = {i.pk: i for i in indicators}
    codes = [i.code for i in indicators]
    values = {pk: dict.fromkeys(codes, MISSING) for pk in clusters}
    answers = (
        Answer.objects.filter(interview__in=latest, indicator__in=list(by_id))
        .values("interview_id", "indicator_id", *ANSWER_FIELDS)
        .iterator(chunk_size=5000)
    )
    for row in answers:
        indicator = by_id[row["indicator_id"]]
        values[cluster_of[row["interview_id"]]][indicator.code] = _value(indicator, row)
    return PeerPool(indicators=indicators, clusters=clusters, values=values, gold=valid_gold_clusters(today))


# --- Statistics of one group without the cluster itself -------------------------------------


class SortedWithout(Sequence):
    """A sorted list seen without one of its elements, without copying it: the cluster is never
    its own peer, and seed_demo issues a thousand reports from the same sorted lists."""

    def __init__(self, ordered: list[float], skip: int | None):
        self.ordered, self.skip = ordered, skip

    def __len__(self):
        return len(self.ordered) - (self.skip is not None)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.ordered[index + (self.skip is not None and index >= self.skip)]

    def percentile_rank(self, value: float) -> float:
        """statistics.percentile_rank_sorted by bisecting the full list, then leaving the skipped value out."""
        below = bisect.bisect_left(self.ordered, value)
        equal = bisect.bisect_right(self.ordered, value) - below
        skipped = self.ordered[self.skip]
        below -= skipped < value
        equal -= skipped == value
        return statistics.mid_rank(below, equal, len(self))


def _without(ordered: list[float], value) -> Sequence[float]:
    """`ordered` with one occurrence of `value` left out."""
    if value is None:
        return ordered
    index = bisect.bisect_left(ordered, value)
    if index < len(ordered) and ordered[index] == value:
        return SortedWithout(ordered, index)
    return ordered


@dataclass
class PeerGroup:
    """A comparison group seen from one cluster: the group's data minus that cluster's own answers."""

    key: str
    title: str
    data: GroupData
    excluded: dict[str, object]  # the cluster's own pool values if it is a member, else {}
    size: int

    @property
    def is_shown(self) -> bool:
        return self.size >= settings.ECEI_REPORT_MIN_GROUP_SIZE

    def numbers(self, indicator: Indicator, series: str) -> list[float]:
        ordered = self.data.numbers.get((indicator.code, series), [])
        own = series_values(indicator, self.excluded.get(indicator.code, MISSING)).get(series)
        return _without(ordered, own)

    def option_counts(self, indicator: Indicator) -> tuple[Counter, int]:
        """The group's counted answers to an option indicator, and how many answered, without the cluster."""
        counts, answering = self.data.options.get(indicator.code, (Counter(), 0))
        own = self.excluded.get(indicator.code, MISSING)
        if own is MISSING:
            return counts, answering
        counts = counts.copy()
        counts.subtract(set(own) if indicator.kind == Indicator.Kind.MULTI else [own])
        return counts, answering - 1


def peer_groups(pool: PeerPool, cluster: Cluster) -> list[PeerGroup]:
    """The four comparison groups of domain.md, in the report's order."""
    keys = [
        (GROUPS.PORTFOLIO, cluster.portfolio_id, f"Same comparative portfolio: {cluster.portfolio.name}"),
        (GROUPS.COUNTRY, str(cluster.country), f"Same country: {cluster.country.name}"),
        (GROUPS.ALL, None, "All benchmarked clusters"),
        (GROUPS.EXCELLENCE, None, "Excellence group: clusters holding a valid Gold label"),
    ]
    groups = []
    for kind, value, title in keys:
        data = pool.group((kind, value))
        is_member = cluster.pk in data.clusters
        excluded = pool.values[cluster.pk] if is_member else {}
        groups.append(PeerGroup(str(kind), title, data, excluded, len(data.clusters) - is_member))
    return groups


def number_stats(group: PeerGroup, indicator: Indicator, series: str, own: float | None) -> dict | None:
    """n, quartiles and rank, or None when fewer peers answered than the minimum group size."""
    values = group.numbers(indicator, series)
    if len(values) < settings.ECEI_REPORT_MIN_GROUP_SIZE:
        return None
    rank = values.percentile_rank(own) if isinstance(values, SortedWithout) and own is not None else None
    return statistics.number_summary(values, own, missing=group.size - len(values), rank=rank)


def option_stats(group: PeerGroup, indicator: Indicator) -> dict | None:
    counts, answering = group.option_counts(indicator)
    if answering < settings.ECEI_REPORT_MIN_GROUP_SIZE:
        return None
    multi = indicator.kind == Indicator.Kind.MULTI
    options = ["yes", "no"] if indicator.kind == Indicator.Kind.YES_NO else indicator.options
    rows = statistics.distribution_from_counts(counts, answering, options, extra=not multi)
    return {"n": answering, "missing": group.size - answering, "rows": rows}


# --- The snapshot ------------------------------------------------------------------------------


@dataclass
class ReportInputs:
    """What a snapshot is made of, apart from the peers: loaded in a fixed number of queries."""

    interview: Interview
    indicators: list[Indicator]
    own_rows: dict[int, dict]  # indicator_id -> answer row
    rules: list[RecommendationRule]
    expert_recommendations: dict[int, str]  # category_id -> text
    previous: Interview | None = None
    changes: list = field(default_factory=list)  # progress.IndicatorChange
    dropped: list = field(default_factory=list)  # (earlier Indicator, its Answer or None)


def catalogue_indicators(catalogue: Catalogue) -> list[Indicator]:
    return list(
        Indicator.objects.filter(catalogue=catalogue).select_related("category").order_by("category__order", "order")
    )


def active_rules(catalogue: Catalogue) -> list[RecommendationRule]:
    return list(RecommendationRule.objects.filter(indicator__catalogue=catalogue, is_active=True).order_by("id"))


def previous_approved_interview(interview: Interview) -> Interview | None:
    """The cluster's approved benchmarking before this one, on any catalogue version."""
    earlier = Q(date__lt=interview.date) | Q(date=interview.date, pk__lt=interview.pk)
    return (
        Interview.objects.filter(earlier, cluster_id=interview.cluster_id, status=Interview.Status.APPROVED)
        .order_by("-date", "-pk")
        .first()
    )


def load_report_inputs(interview: Interview, *, indicators: list[Indicator] | None = None, rules=None) -> ReportInputs:
    """Everything but the peers (7 queries, 10 with a previous benchmarking)."""
    interview = Interview.objects.select_related("cluster__portfolio", "expert__user", "catalogue").get(pk=interview.pk)
    indicators = indicators if indicators is not None else catalogue_indicators(interview.catalogue)
    own_rows = {
        row["indicator_id"]: row
        for row in Answer.objects.filter(interview=interview).values("interview_id", "indicator_id", *ANSWER_FIELDS)
    }
    previous = previous_approved_interview(interview)
    progress = interview_progress(previous, interview) if previous else None
    return ReportInputs(
        interview=interview,
        indicators=indicators,
        own_rows=own_rows,
        rules=rules if rules is not None else active_rules(interview.catalogue),
        expert_recommendations=dict(
            ExpertRecommendation.objects.filter(interview=interview).values_list("category_id", "text")
        ),
        previous=previous,
        changes=progress.changes if progress else [],
        dropped=progress.dropped if progress else [],
    )


def _answer_object(row: dict | None) -> Answer | None:
    if row is None:
        return None
    return Answer(**{name: row[name] for name in ANSWER_FIELDS})


def _display(indicator: Indicator, row: dict | None) -> str:
    return format_answer(indicator, _answer_object(row)) or "(not answered)"


def _group_header(group: PeerGroup) -> dict:
    minimum = settings.ECEI_REPORT_MIN_GROUP_SIZE
    reason = ""
    if not group.is_shown:
        reason = (
            f"Not shown: {group.size} other cluster{'s' if group.size != 1 else ''} in this group "
            f"{'have' if group.size != 1 else 'has'} an approved benchmarking on this catalogue version; "
            f"at least {minimum} are needed so that no cluster's values can be inferred."
        )
    return {"key": group.key, "title": group.title, "n": group.size, "shown": group.is_shown, "reason": reason}


def _series_label(indicator: Indicator, name: str) -> str:
    if name == "":
        return indicator.unit
    part, _, share = name.partition("|")
    return f"{part}, share of the total (%)" if share else part


def _indicator_snapshot(indicator: Indicator, row: dict | None, groups: list[PeerGroup]) -> dict:
    own = _value(indicator, row)
    shown = [g for g in groups if g.is_shown]
    entry = {
        "code": indicator.code,
        "wording": indicator.wording,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "own": _display(indicator, row),
        "own_missing": own is MISSING,
    }
    if indicator.has_options or indicator.kind == Indicator.Kind.YES_NO:
        chosen = [] if own is MISSING else (own if isinstance(own, list) else [own])
        entry["distribution"] = {
            "own": chosen,
            "multi": indicator.kind == Indicator.Kind.MULTI,
            "groups": {g.key: option_stats(g, indicator) for g in shown},
        }
        return entry
    own_series = series_values(indicator, own)
    names = (
        [""]
        if indicator.is_number
        else [
            name
            for part in indicator.options
            for name in ([part, f"{part}|share"] if indicator.kind == Indicator.Kind.COUNTS else [part])
        ]
    )
    entry["series"] = [
        {
            "name": name,
            "label": _series_label(indicator, name),
            "own": own_series.get(name),
            "groups": {g.key: number_stats(g, indicator, name, own_series.get(name)) for g in shown},
        }
        for name in names
    ]
    return entry


def _rule_group(rule: RecommendationRule, groups: list[PeerGroup]) -> PeerGroup | None:
    return next((g for g in groups if g.key == (rule.group or GROUPS.PORTFOLIO)), None)


def _cut_name(percentile: float) -> str:
    return {25: "lower quartile", 50: "median", 75: "upper quartile"}.get(percentile, f"{percentile:g}th percentile")


def _fmt(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x):,}"


def rule_reason(
    rule: RecommendationRule, indicator: Indicator, row: dict | None, groups: list[PeerGroup]
) -> str | None:
    """Why the rule applies to this cluster, in words; None when it does not apply.

    Percentile rules need the group to be shown and enough answers; a missing answer never
    triggers a rule. For several-of-a-list indicators, `answer` names an option that the
    cluster chose; "not: option" one that it did not choose.
    """
    own = _value(indicator, row)
    if own is MISSING:
        return None
    threshold = float(rule.threshold) if rule.threshold is not None else None
    C = RecommendationRule.Condition
    if rule.condition in (C.BELOW_PERCENTILE, C.ABOVE_PERCENTILE) and indicator.is_number and threshold is not None:
        group = _rule_group(rule, groups)
        if group is None or not group.is_shown:
            return None
        values = group.numbers(indicator, "")
        if len(values) < settings.ECEI_REPORT_MIN_GROUP_SIZE:
            return None
        cut = statistics.quantile(values, threshold / 100)
        below = rule.condition == C.BELOW_PERCENTILE
        if (own < cut) if below else (own > cut):
            where = "below" if below else "above"
            return f"{_fmt(own)} is {where} the {_cut_name(threshold)} of the group “{group.title}” ({_fmt(cut)})."
        return None
    if rule.condition in (C.BELOW_VALUE, C.ABOVE_VALUE) and indicator.is_number and threshold is not None:
        below = rule.condition == C.BELOW_VALUE
        if (own < threshold) if below else (own > threshold):
            return f"{_fmt(own)} is {'below' if below else 'above'} {_fmt(threshold)}."
        return None
    if rule.condition == C.ANSWER_IS:
        return _answer_reason(indicator, own, rule.answer.strip())
    return None


def _answer_reason(indicator: Indicator, own, answer: str) -> str | None:
    if indicator.kind == Indicator.Kind.MULTI:
        negated = answer.lower().startswith("not:")
        option = answer[4:].strip() if negated else answer
        if (option in own) != negated:
            return f"“{option}” is {'not ' if negated else ''}among the answers."
        return None
    if str(own).lower() == answer.lower():
        return f"The answer is “{own}”."
    return None


def recommendations(inputs: ReportInputs, groups: list[PeerGroup]) -> dict[int, list[dict]]:
    """The rules that apply, per category id, in rule order."""
    by_id = {i.pk: i for i in inputs.indicators}
    found: dict[int, list[dict]] = {}
    for rule in inputs.rules:
        indicator = by_id.get(rule.indicator_id)
        if indicator is None:
            continue
        reason = rule_reason(rule, indicator, inputs.own_rows.get(indicator.pk), groups)
        if reason:
            found.setdefault(indicator.category_id, []).append(
                {
                    "indicator": indicator.code,
                    "text": rule.text,
                    "reason": reason,
                    "serves": rule.serves,
                    "serves_label": rule.get_serves_display(),
                }
            )
    return found


def category_standing(indicators: list[dict], groups: list[dict]) -> dict | None:
    """Where the cluster stands in a category: its rank on each directed number indicator,
    turned so that higher is always better, against the portfolio group (or all clusters)."""
    shown = [g["key"] for g in groups if g["shown"]]
    reference = next((k for k in (GROUPS.PORTFOLIO, GROUPS.ALL) if k in shown), None)
    if reference is None:
        return None
    points = []
    for entry in indicators:
        if entry["direction"] == Indicator.Direction.NEUTRAL or entry["kind"] not in Indicator.NUMBER_KINDS:
            continue
        stats = entry["series"][0]["groups"].get(reference)
        if stats and stats["rank"] is not None:
            score = stats["rank"] if entry["direction"] == Indicator.Direction.HIGHER else 100 - stats["rank"]
            points.append({"code": entry["code"], "score": round(score, 1)})
    if not points:
        return None
    upper = sum(1 for p in points if p["score"] >= 75)
    lower = sum(1 for p in points if p["score"] < 25)
    title = next(g["title"] for g in groups if g["key"] == reference)
    text = (
        f"{upper} of {len(points)} compared indicators in the best quarter, "
        f"{lower} in the weakest quarter, {len(points) - upper - lower} in between."
    )
    return {"group": reference, "group_title": title, "points": points, "upper": upper, "lower": lower, "text": text}


def _progress_rows(inputs: ReportInputs) -> dict | None:
    if inputs.previous is None:
        return None
    rows = [
        {
            "code": change.indicator.code,
            "wording": change.indicator.wording,
            "before": format_answer(change.before_indicator, change.previous) or "(not answered)",
            "after": format_answer(change.indicator, change.current) or "(not answered)",
            "trend": str(change.trend),
            "trend_label": Trend(change.trend).label,
        }
        for change in inputs.changes
    ]
    counts = Counter(r["trend"] for r in rows)
    dropped = [
        {"code": old.code, "wording": old.wording, "before": format_answer(old, answer) or "(not answered)"}
        for old, answer in inputs.dropped
    ]
    return {
        "previous_date": inputs.previous.date.isoformat(),
        "rows": rows,
        "counts": dict(counts),
        "dropped": dropped,
    }


def snapshot_from(inputs: ReportInputs, pool: PeerPool, *, today) -> dict:
    """The report as JSON, from its inputs and the peers (no queries)."""
    interview, cluster = inputs.interview, inputs.interview.cluster
    groups = peer_groups(pool, cluster)
    headers = [_group_header(g) for g in groups]
    found = recommendations(inputs, groups)
    categories = []
    for indicator in inputs.indicators:
        category = indicator.category
        if not categories or categories[-1]["id"] != category.pk:
            categories.append(
                {
                    "id": category.pk,
                    "code": category.code,
                    "title": category.title,
                    "indicators": [],
                    "recommendations": found.get(category.pk, []),
                    "expert_recommendation": inputs.expert_recommendations.get(category.pk, ""),
                }
            )
        categories[-1]["indicators"].append(_indicator_snapshot(indicator, inputs.own_rows.get(indicator.pk), groups))
    for category in categories:
        category["standing"] = category_standing(category["indicators"], headers)
    return {
        "schema": SNAPSHOT_SCHEMA,
        "issued_on": today.isoformat(),
        "cluster": {
            "name": cluster.name,
            "country": cluster.country.name,
            "region": cluster.region,
            "portfolio": cluster.portfolio.name,
            "organisation": cluster.organisation_name,
        },
        "interview": {
            "date": interview.date.isoformat(),
            "expert": str(interview.expert),
            "mode": interview.get_mode_display(),
            "interviewee": f"{interview.interviewee_name}, {interview.interviewee_role}",
        },
        "catalogue": {"version": interview.catalogue.version, "title": interview.catalogue.title},
        "method": {
            "min_group_size": settings.ECEI_REPORT_MIN_GROUP_SIZE,
            "quartiles": statistics.QUARTILE_METHOD,
            "rank": statistics.RANK_METHOD,
        },
        "groups": headers,
        "categories": categories,
        "progress": _progress_rows(inputs),
    }


def build_snapshot(interview: Interview, *, today=None) -> dict:
    """The snapshot of `interview`'s report as of today, in a fixed number of queries."""
    today = today or timezone.localdate()
    inputs = load_report_inputs(interview)
    pool = load_peer_pool(inputs.interview.catalogue, inputs.indicators, today=today)
    return snapshot_from(inputs, pool, today=today)


# --- Many reports at once (seed_demo) ------------------------------------------------------------


def latest_snapshots(catalogue: Catalogue, *, today=None, batch: int = 500) -> Iterator[tuple[Interview, dict]]:
    """The snapshot of every cluster's latest approved interview on `catalogue`, one at a time.

    The same path as a single report (load_report_inputs, snapshot_from) over one peer pool
    loaded once; the interviews are read `batch` at a time, so memory stays flat however
    many clusters there are (a few queries per report, none per peer).
    """
    today = today or timezone.localdate()
    indicators = catalogue_indicators(catalogue)
    pool = load_peer_pool(catalogue, indicators, today=today)
    rules = active_rules(catalogue)
    ids = list(latest_approved_interviews(catalogue).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        interviews = Interview.objects.filter(pk__in=ids[start : start + batch]).order_by("pk")
        for interview in interviews:
            inputs = load_report_inputs(interview, indicators=indicators, rules=rules)
            yield inputs.interview, snapshot_from(inputs, pool, today=today)
