"""The legacy import's door: checked rows of a legacy file written as approved benchmarkings.

exchange/legacy.py reads and checks the file (every row through the web forms' rules, once) and
keeps each clean row's values; this service plans the rows from those values under the same
rules as the web services (interview_start_refusal, label_terms, codes taken), then writes a
batch in bulk with its history and actions, and refreshes the derived data once a batch (the
label facts of the public list, the reports' peer values), in the batch's transaction.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from activity import actions
from activity.services import log_actions
from benchmarking.models import Answer, Interview, Label
from benchmarking.rules.label_periods import LabelError
from benchmarking.rules.label_terms import label_terms
from benchmarking.services.interview_start import interview_start_refusal
from benchmarking.services.label_facts import label_facts_refresh
from benchmarking.services.peer_values import peer_values_refresh
from clusters.models import Cluster
from clusters.text import fold
from ecei_site.bulk import insert_rows
from exchange.legacy import (
    NOT_RECORDED,
    Identity,
    ImportResult,
    RowError,
)
from exchange.legacy_files import LegacyFileError
from exchange.models import ImportedBenchmarking

VIDEO_SINCE = datetime.date(2019, 11, 15)  # the 2019 revision made video interviews an option


# --- Writing -----------------------------------------------------------------------------------


class _RowProblem(Exception):
    def __init__(self, column: str, reason: str):
        self.column, self.reason = column, reason
        super().__init__(reason)


@dataclass
class Planned:
    """A checked row on its way in: its identity and answers (as the check stored them), then the
    unsaved records the write rules gave it."""

    row: int
    ident: Identity
    answers: dict[int, dict]  # indicator id -> Answer columns
    cluster: Cluster | None = None
    interview: Interview | None = None
    label: Label | None = None


class _Writer:
    """Plans a batch of checked rows under the web's write rules, then writes it in bulk.

    `plan` asks, row by row and oldest first, the rules the one-at-a-time services ask, and builds
    the unsaved records; it writes nothing, so the dry run is `plan` alone and takes no write lock.
    `write` (the apply, inside the batch's transaction) saves them in bulk: the new clusters, the
    interviews, the labels (a wave per renewal), each with its history and its action, the
    answers and their history through ecei_site.bulk.insert_rows, then the batch's label facts
    and peer values once.

    The rules: every row, whether its cluster exists or this batch creates it, is asked
    `interview_start_refusal` with the cluster's Bronze labels held in memory (read once a batch,
    then those the batch plans): accreditation, conflicts of interest, and the renewal rule over
    those labels and the recommendations waiting for the board. A cluster the batch creates has
    no conflicts or recommendations to read, so its rows cost no query. Each label's terms come
    from `label_terms` with the same labels (the rule's no-query door).
    """

    def __init__(self, *, filename: str, user, idents: list[Identity]):
        """Reads what the rows `idents` (one batch) may collide with: their clusters and those
        clusters' Bronze labels, the codes they name, their clusters' interview days, the slugs
        their new clusters would take."""
        self.filename, self.user = filename, user
        names = {fold(ident.cluster_name) for ident in idents}
        clusters = Cluster.objects.filter(name_folded__in=names).select_related("portfolio")
        self.clusters = {(c.name_folded, c.country.code): c for c in clusters}
        self.labels: dict[tuple, list[Label]] = {key: [] for key in self.clusters}
        by_pk = {c.pk: key for key, c in self.clusters.items()}
        for label in Label.objects.filter(cluster_id__in=by_pk, level=Label.Level.BRONZE):
            self.labels[by_pk[label.cluster_id]].append(label)
        bases = {slugify(ident.cluster_name)[:240] or ident.country.lower() for ident in idents}
        self.slugs = set(Cluster.objects.filter(slug__in=bases).values_list("slug", flat=True))
        codes = {ident.label_code for ident in idents if ident.label_code}
        self.label_codes = set(Label.objects.filter(code__in=codes).values_list("code", flat=True))
        reports = {ident.report_code for ident in idents if ident.report_code}
        imported = ImportedBenchmarking.objects.filter(report_code__in=reports)
        self.report_codes = set(imported.values_list("report_code", flat=True))
        self.interview_days = set(
            Interview.objects.filter(cluster__name_folded__in=names).values_list(
                "cluster__name_folded", "cluster__country", "date"
            )
        )
        self.new_clusters: list[Cluster] = []
        self.planned: list[Planned] = []

    def already_imported(self, ident: Identity) -> str | None:
        if ident.report_code and ident.report_code in self.report_codes:
            return gettext("report %(code)s was imported before") % {"code": ident.report_code}
        if (fold(ident.cluster_name), ident.country, ident.date) in self.interview_days:
            return gettext("%(cluster)s already has an interview on %(date)s") % {
                "cluster": ident.cluster_name,
                "date": ident.date.isoformat(),
            }
        return None

    def cluster(self, ident: Identity) -> Cluster:
        key = (fold(ident.cluster_name), ident.country)
        existing = self.clusters.get(key)
        if existing:
            if existing.portfolio_id != ident.portfolio.pk:
                raise _RowProblem(
                    "portfolio",
                    gettext("%(cluster)s is in the portfolio %(portfolio)s")
                    % {"cluster": existing, "portfolio": existing.portfolio},
                )
            return existing
        base = slugify(ident.cluster_name)[:240] or ident.country.lower()
        slug, n = base, 1
        while slug in self.slugs or (n > 1 and Cluster.objects.filter(slug=slug).exists()):
            n += 1
            slug = f"{base}-{n}"
        cluster = Cluster(
            name=ident.cluster_name, country=ident.country, portfolio=ident.portfolio, website=ident.website, slug=slug
        )
        # The model's own validation, but for what is unique by construction (the slug) or checked
        # already: the country against the ISO codes and the portfolio found by read_identity.
        cluster.full_clean(exclude=["country", "portfolio"], validate_unique=False, validate_constraints=False)
        cluster.name_folded = fold(cluster.name)  # what Cluster.save() keeps, which bulk_create skips
        cluster.country_name = str(cluster.country.name or cluster.country.code)
        cluster._history_user = self.user
        self.slugs.add(slug)
        self.clusters[key] = cluster
        self.labels[key] = []
        self.new_clusters.append(cluster)
        return cluster

    def start_refusal(self, ident: Identity, cluster: Cluster) -> str | None:
        """Why the expert may not have benchmarked the cluster that day (the rules above), or None."""
        return interview_start_refusal(
            expert=ident.expert, cluster=cluster, date=ident.date, labels=self._labels(ident)
        )

    def _labels(self, ident: Identity) -> list[Label]:
        return self.labels[(fold(ident.cluster_name), ident.country)]

    def label(self, ident: Identity, cluster: Cluster, interview: Interview) -> Label:
        labels = self._labels(ident)
        try:
            terms = label_terms(cluster=cluster, level=Label.Level.BRONZE, benchmarked_on=ident.date, labels=labels)
        except LabelError as exc:
            raise _RowProblem("label_code", str(exc)) from exc
        if ident.label_code in self.label_codes:
            raise _RowProblem("label_code", gettext("another label has this code"))
        label = Label(
            cluster=cluster,
            level=Label.Level.BRONZE,
            code=ident.label_code,
            benchmarked_on=ident.date,
            awarded_on=ident.date,
            valid_from=terms.valid_from,
            valid_until=terms.valid_until,
            renews=terms.renews,
            source=Label.Source.IMPORT,
            interview=interview,
        )
        label._history_user = self.user
        labels.append(label)
        self.label_codes.add(label.code)
        return label

    def plan(self, planned: Planned) -> None:
        """The row's cluster (if new), approved interview and label, unsaved; _RowProblem when refused."""
        ident = planned.ident
        cluster = self.cluster(ident)
        refusal = self.start_refusal(ident, cluster)
        if refusal:
            raise _RowProblem("expert", refusal)
        reason = f"Imported from {self.filename}, row {planned.row}"
        interview = Interview(
            cluster=cluster,
            expert=ident.expert,
            catalogue=ident.catalogue,
            date=ident.date,
            mode=Interview.Mode.VIDEO if ident.date >= VIDEO_SINCE else Interview.Mode.ON_SITE,
            interviewee_name=NOT_RECORDED,
            interviewee_role=NOT_RECORDED,
            status=Interview.Status.APPROVED,  # approved by the earlier secretariat
            decided_by=self.user,
            decision_reason=reason,
        )
        interview._history_user = self.user
        interview._change_reason = reason[:100]
        planned.cluster, planned.interview = cluster, interview
        if ident.label_code:
            planned.label = self.label(ident, cluster, interview)
        self.planned.append(planned)
        self.interview_days.add((fold(ident.cluster_name), ident.country, ident.date))
        if ident.report_code:
            self.report_codes.add(ident.report_code)

    def write(self) -> None:
        """Save what `plan` built, in bulk, inside the caller's transaction."""
        now = timezone.now()
        history = {"default_user": self.user, "default_date": now}
        if self.new_clusters:
            bulk_create_with_history(self.new_clusters, Cluster, **history)
            entries = [(c, {}, f"Imported from {self.filename}") for c in self.new_clusters]
            log_actions(action=actions.CLUSTER_CREATED, entries=entries, user=self.user)
        interviews = [p.interview for p in self.planned]
        for interview in interviews:
            interview.submitted_at = interview.decided_at = now
        bulk_create_with_history(interviews, Interview, **history)
        entries = [
            (
                p.interview,
                {"file": self.filename, "row": p.row, "report_code": p.ident.report_code,
                 "label_code": p.ident.label_code},
                p.interview.decision_reason,
            )
            for p in self.planned
        ]  # fmt: skip
        log_actions(action=actions.IMPORT_APPLIED, entries=entries, user=self.user)
        for wave in _waves([p.label for p in self.planned if p.label]):
            bulk_create_with_history(wave, Label, **history)
        self._answers(now)
        ImportedBenchmarking.objects.bulk_create(
            ImportedBenchmarking(
                interview=p.interview, report_code=p.ident.report_code, source_file=self.filename,
                source_row=p.row, imported_by=self.user,
            )
            for p in self.planned
        )  # fmt: skip
        label_facts_refresh(sorted({p.cluster.pk for p in self.planned if p.label}))  # the public list's facts
        peer_values_refresh(sorted({p.cluster.pk for p in self.planned}))  # the reports' peers

    def _answers(self, now) -> None:
        """The answers through insert_rows, then their history (what bulk_create_with_history
        writes: a "+" record a row, the importer's, with the file as reason)."""
        # A column left at an unsaved Answer's value is left out of its row: insert_rows prepares
        # it once for all rows (most of an answer's columns are empty).
        unsaved = Answer()
        planned = [
            (p, indicator_id, {name: v for name, v in fields.items() if v != getattr(unsaved, name)})
            for p in self.planned
            for indicator_id, fields in p.answers.items()
        ]
        insert_rows(
            Answer,
            (
                {"interview_id": p.interview.pk, "indicator_id": indicator_id, "updated_at": now, **fields}
                for p, indicator_id, fields in planned
            ),
        )
        ids = {
            (interview_id, indicator_id): pk
            for pk, interview_id, indicator_id in Answer.objects.filter(
                interview_id__in=[p.interview.pk for p in self.planned]
            ).values_list("pk", "interview_id", "indicator_id")
        }
        tracked = {f.attname for f in Answer.history.model._meta.concrete_fields}
        reason = f"Imported from {self.filename}"
        insert_rows(
            Answer.history.model,
            (
                {
                    **{name: value for name, value in fields.items() if name in tracked},
                    "id": ids[(p.interview.pk, indicator_id)],
                    "interview_id": p.interview.pk,
                    "indicator_id": indicator_id,
                    "history_date": now,
                    "history_user_id": self.user.pk if self.user else None,
                    "history_change_reason": reason,
                    "history_type": "+",
                }
                for p, indicator_id, fields in planned
            ),
        )


def _waves(labels: list[Label]) -> list[list[Label]]:
    """The labels in waves: a label that renews one of the batch comes in a later wave than it
    (bulk_create needs the renewed label saved)."""
    waves: list[list[Label]] = []
    depth: dict[int, int] = {}
    for label in labels:  # oldest first per cluster: a renewed label comes before its renewal
        n = depth[id(label.renews)] + 1 if label.renews is not None and id(label.renews) in depth else 0
        depth[id(label)] = n
        if n == len(waves):
            waves.append([])
        waves[n].append(label)
    return waves


# --- The import --------------------------------------------------------------------------------


def legacy_import(*, content: bytes, filename: str, user=None, dry_run: bool = True) -> ImportResult:
    """Check every row, and write them all only if none has an error and this is not a dry run:
    the import job's steps (services/import_steps.py) run here, one after another, in batches
    of short transactions. The page asks the worker for the same steps instead."""
    from exchange.models import ImportJob, ImportRow
    from exchange.services.import_jobs import import_job_advance, import_job_create

    job = import_job_create(content=content, filename=filename, user=user, apply_when_clean=not dry_run, ask=False)
    while import_job_advance(job.pk):
        pass
    job.refresh_from_db()
    if job.phase == ImportJob.Phase.FAILED and not job.stopped_in:
        raise LegacyFileError(job.problem)
    result = ImportResult(filename=filename, dry_run=dry_run, rows=job.rows, created=job.created)
    lines = ImportRow.objects.filter(job=job).order_by("row")
    for row, note in lines.filter(outcome="skipped").values_list("row", "note"):
        result.skipped.append((row, note))
    for row, errors in lines.exclude(errors=[]).values_list("row", "errors"):
        result.errors += [RowError(row, column, value, reason) for column, value, reason in errors]
    return result
