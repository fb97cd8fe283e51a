"""The legacy import's door: checked rows of a legacy file written as approved benchmarkings.

exchange/legacy.py reads and checks the file (every row through the web forms' rules); this
service writes the rows that passed, applies the same rules as the web services
(interview_start_refusal, label_terms) and refreshes the derived data once at the end
(the label facts of the public list, the reports' peer values), in the import's transaction.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from activity import actions
from activity.services import log_action
from benchmarking.models import Answer, Interview, Label
from benchmarking.rules.label_periods import LabelError
from benchmarking.rules.label_terms import label_terms
from benchmarking.services.interview_start import interview_start_refusal
from benchmarking.services.label_facts import label_facts_refresh
from benchmarking.services.peer_values import peer_values_refresh
from clusters.models import Cluster
from clusters.text import fold
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


ANSWER_BATCH = 100  # interviews whose answers are written (with their history) in one go


class _Writer:
    """Writes checked rows, oldest first, inside the import's transaction.

    Per row it asks the same rules as the web (interview_start_refusal, label_terms) and
    saves the interview and its label with their history; answers are written in batches
    with bulk_create_with_history, the helper interview_save_step uses, so that 1,300
    benchmarkings of 36 answers take one INSERT per ~70 answers, not one per answer.
    """

    def __init__(self, *, filename: str, user, idents: list[Identity]):
        """Reads what the rows `idents` (one batch) may collide with: their clusters, the codes they
        name, their clusters' interview days; slugs and codes it creates are looked up one by one."""
        self.filename, self.user = filename, user
        names = {fold(ident.cluster_name) for ident in idents}
        clusters = Cluster.objects.filter(name_folded__in=names).select_related("portfolio")
        self.clusters = {(c.name_folded, c.country.code): c for c in clusters}
        self.slugs: set[str] = set()  # taken by this batch; the database knows the others
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
        self.pending_answers: list[Answer] = []
        self.records: list[ImportedBenchmarking] = []
        self.labelled: set[int] = set()  # clusters whose public label facts need a refresh

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
        while slug in self.slugs or Cluster.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        cluster = Cluster(
            name=ident.cluster_name, country=ident.country, portfolio=ident.portfolio, website=ident.website, slug=slug
        )
        cluster.full_clean(validate_unique=False)  # the slug is unique by construction
        cluster._history_user = self.user
        cluster.save()
        log_action(action=actions.CLUSTER_CREATED, obj=cluster, user=self.user, reason=f"Imported from {self.filename}")
        self.slugs.add(slug)
        self.clusters[key] = cluster
        return cluster

    def label(self, ident: Identity, cluster: Cluster, interview: Interview) -> None:
        try:
            terms = label_terms(cluster=cluster, level=Label.Level.BRONZE, benchmarked_on=ident.date)
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
        label.save()
        self.label_codes.add(label.code)
        self.labelled.add(cluster.pk)

    def write(self, row: int, ident: Identity, values: dict) -> None:
        """The row's cluster (if new), approved interview and label now; its answers with the next batch."""
        with transaction.atomic():  # a savepoint: a refused row leaves nothing behind
            cluster = self.cluster(ident)
            refusal = interview_start_refusal(expert=ident.expert, cluster=cluster, date=ident.date)
            if refusal:
                raise _RowProblem("expert", refusal)
            reason = f"Imported from {self.filename}, row {row}"
            now = timezone.now()
            interview = Interview(
                cluster=cluster,
                expert=ident.expert,
                catalogue=ident.catalogue,
                date=ident.date,
                mode=Interview.Mode.VIDEO if ident.date >= VIDEO_SINCE else Interview.Mode.ON_SITE,
                interviewee_name=NOT_RECORDED,
                interviewee_role=NOT_RECORDED,
                status=Interview.Status.APPROVED,  # approved by the earlier secretariat
                submitted_at=now,
                decided_at=now,
                decided_by=self.user,
                decision_reason=reason,
            )
            interview._history_user = self.user
            interview._change_reason = reason[:100]
            interview.save()
            log_action(
                action=actions.IMPORT_APPLIED,
                obj=interview,
                user=self.user,
                data={
                    "file": self.filename,
                    "row": row,
                    "report_code": ident.report_code,
                    "label_code": ident.label_code,
                },
                reason=reason,
            )
            if ident.label_code:
                self.label(ident, cluster, interview)
        self.pending_answers += [
            Answer(interview=interview, indicator=indicator, updated_at=now, **fields)
            for indicator, fields in values.items()
        ]
        self.records.append(
            ImportedBenchmarking(
                interview=interview,
                report_code=ident.report_code,
                source_file=self.filename,
                source_row=row,
                imported_by=self.user,
            )
        )
        self.interview_days.add((fold(ident.cluster_name), ident.country, ident.date))
        if ident.report_code:
            self.report_codes.add(ident.report_code)
        if len(self.records) % ANSWER_BATCH == 0:
            self.flush()

    def flush(self) -> None:
        if self.pending_answers:
            bulk_create_with_history(
                self.pending_answers,
                Answer,
                default_user=self.user,
                default_change_reason=f"Imported from {self.filename}",
            )
            self.pending_answers = []

    def finish(self) -> None:
        self.flush()
        ImportedBenchmarking.objects.bulk_create(self.records)
        label_facts_refresh(self.labelled)  # the public list's facts, like every label path
        peer_values_refresh({record.interview.cluster_id for record in self.records})  # the reports' peers


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
