"""Issuing individual reports, and the expert's own recommendations that go into them.

A report is issued when an interview is approved (review.interview_approve calls
report_issue) and may be re-issued by the secretariat: each issue is a new version with
its own code and its own snapshot; an issued report is never changed.

Report codes follow the label codes (domain.md: "Reports and labels carry a code"):
ISO-3 country, a serial per country, year and month of the interview, "R" and the
version: DEU0042024R1, then DEU0042024R2 for a re-issue of the same interview's report.
"""

import datetime
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activity import actions
from activity.services import changes, log_action
from benchmarking.models import Catalogue, Category, ExpertRecommendation, Interview, Report
from benchmarking.permissions import is_secretariat
from benchmarking.selectors.interviews import can_edit
from benchmarking.selectors.reports import build_snapshots, latest_snapshots
from ecei_site.bulk import documents_compressed_fast, insert_rows
from ecei_site.json_text import JSONText
from ecei_site.translated import SOURCE_LANGUAGE

CODE_PATTERN = re.compile(r"^(?P<country>[A-Z]{3})(?P<serial>\d+)(?P<year>\d{4})(?P<month>\d{2})R(?P<version>\d+)$")


class ReportError(Exception):
    """A report operation the rules do not allow; the message says why."""


def report_code(*, country_alpha3: str, serial: int, interview_date: datetime.date, version: int) -> str:
    return f"{country_alpha3}{serial:03d}{interview_date:%Y%m}R{version}"


def next_report_serial(country_alpha3: str) -> int:
    """One more than the highest serial ever used for the country: reports are never deleted
    (Report.interview is PROTECTed and the admin refuses deletion), so a code is never reused."""
    codes = Report.objects.filter(code__startswith=country_alpha3).values_list("code", flat=True)
    serials = [int(m["serial"]) for m in map(CODE_PATTERN.match, codes) if m]
    return max(serials, default=0) + 1


def _next_code(interview: Interview, previous: Report | None) -> tuple[str, int]:
    """A re-issue keeps the serial of the interview's first report and counts the version up."""
    alpha3 = interview.cluster.country.alpha3
    if previous is not None and (match := CODE_PATTERN.match(previous.code)):
        serial, version = int(match["serial"]), previous.version + 1
    else:
        serial, version = next_report_serial(alpha3), 1
    return report_code(country_alpha3=alpha3, serial=serial, interview_date=interview.date, version=version), version


def report_issue(*, interview: Interview, user=None) -> Report:
    """Issue (or re-issue) the report of an approved interview, with a snapshot as of now."""
    if interview.status != Interview.Status.APPROVED:
        raise ReportError(_("Only an approved interview has a report."))
    snapshots = build_snapshots(interview)
    snapshot = snapshots.pop(SOURCE_LANGUAGE)
    for _attempt in range(3):
        # Its code and version, not its document (about 240 KB in three languages).
        previous = Report.objects.filter(interview=interview).only("code", "version").order_by("-version").first()
        code, version = _next_code(interview, previous)
        try:
            # A savepoint, so that a code or version taken meanwhile by a concurrent issue can be retried.
            with transaction.atomic():
                report = Report.objects.create(
                    code=code,
                    interview=interview,
                    version=version,
                    issued_at=timezone.now(),
                    issued_by=user,
                    snapshot=snapshot,
                    translations=snapshots,
                )
                log_action(action=actions.REPORT_ISSUED, obj=report, user=user, data={"code": code, "version": version})
                return report
        except IntegrityError:
            continue
    raise ReportError(_("Could not allocate a unique report code; please try again."))


def reports_issue_latest(*, catalogue: Catalogue, user=None, batch: int = 50, jobs: int = 1) -> int:
    """Issue the report of every cluster's latest approved interview that has none yet, in bulk
    (seed_demo: ten thousand reports from one peer pool, written `batch` at a time so that
    memory stays flat), the snapshots built and encoded in `jobs` processes (latest_snapshots).
    Returns how many were issued."""
    reported = set(Report.objects.values_list("interview_id", flat=True))
    serials: dict[str, int] = {}
    for match in map(CODE_PATTERN.match, Report.objects.values_list("code", flat=True)):
        if match:
            serials[match["country"]] = max(serials.get(match["country"], 0), int(match["serial"]))
    now = timezone.now()
    rows, issued = [], 0
    for issue in latest_snapshots(catalogue, jobs=jobs, skip=reported, prepare=_BulkIssue.of):
        serials[issue.country_alpha3] = serials.get(issue.country_alpha3, 0) + 1
        code = report_code(
            country_alpha3=issue.country_alpha3,
            serial=serials[issue.country_alpha3],
            interview_date=issue.interview_date,
            version=1,
        )
        rows.append(
            {
                "code": code,
                "interview_id": issue.interview_id,
                "version": 1,
                "issued_at": now,
                "issued_by_id": user.pk if user else None,
                "snapshot": issue.snapshot,
                "translations": issue.translations,
            }
        )
        if len(rows) == batch:
            issued += _write_reports(rows)
            rows = []
    return issued + _write_reports(rows)


def _write_reports(rows: list[dict]) -> int:
    """One transaction per batch, through executemany (ecei_site.bulk): bulk_create on PostgreSQL
    sends each column as an array, which psycopg quotes in Python character by character; for
    reports of 240 KB of JSON that was 70% of the time of the process that writes them in seed_demo."""
    with transaction.atomic():
        documents_compressed_fast(Report)
        insert_rows(Report, rows)
    return len(rows)


@dataclass(frozen=True)
class _BulkIssue:
    """One report of a bulk issue as its worker hands it over: what its code needs, and its
    snapshots already encoded (JSON text crosses between processes far faster than the dicts,
    and encoding them is a good part of the work)."""

    interview_id: int
    country_alpha3: str
    interview_date: datetime.date
    snapshot: JSONText
    translations: JSONText

    @classmethod
    def of(cls, interview: Interview, snapshots: dict[str, dict]) -> "_BulkIssue":
        snapshot = snapshots.pop(SOURCE_LANGUAGE)
        return cls(
            interview_id=interview.pk,
            country_alpha3=interview.cluster.country.alpha3,
            interview_date=interview.date,
            snapshot=JSONText.encode(snapshot),
            translations=JSONText.encode(snapshots),
        )


# --- The expert's recommendations -------------------------------------------------------------


def may_write_recommendations(user, interview: Interview) -> bool:
    """The interview's expert while the interview is editable; the secretariat at any time."""
    return is_secretariat(user) or can_edit(user, interview)


def expert_recommendations_save(*, interview: Interview, texts: dict[Category, str], user) -> None:
    """Store one recommendation per category; an empty text removes the category's recommendation.

    They appear in reports issued from now on; issued reports keep what they were issued with.
    """
    if not may_write_recommendations(user, interview):
        raise ReportError(_("Only the interview's expert, while it is open, or the secretariat may write these."))
    with transaction.atomic():
        before = dict(ExpertRecommendation.objects.filter(interview=interview).values_list("category__code", "text"))
        for category, text in texts.items():
            text = text.strip()
            if text:
                ExpertRecommendation.objects.update_or_create(
                    interview=interview, category=category, defaults={"text": text}
                )
            else:
                ExpertRecommendation.objects.filter(interview=interview, category=category).delete()
        after = {category.code: text.strip() or None for category, text in texts.items()}
        changed = changes(before, after)
        if changed:
            log_action(action=actions.REPORT_RECOMMENDATIONS_SAVED, obj=interview, user=user, data={"changes": changed})
