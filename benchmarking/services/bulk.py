"""Bulk writes of a past history: many clusters, approved benchmarkings with their answers,
Bronze labels and Gold assessments at once, under the rules of the one-at-a-time services.

The one-at-a-time doors (interview_start, interview_approve, label_recommend, board_decide,
gold_assessment_record) date what they write today and cost dozens of queries a record; a
history (seed_demo's thousands of clusters since 2011) needs past dates, and speed. So the
same rule functions are applied here to each record, in memory, and the rows are written in
bulk, a transaction per batch:

- each interview's expert is accredited on its day (accreditation_refusal) and declared no
  conflict of interest with the cluster; it answers every indicator of the catalogue in force
  on its day, with a value or a reason; nobody approves an interview they conducted;
- Bronze terms and renewals follow the label rules (label_terms over the labels the write holds:
  no query), codes the code rule (label_code, a serial above every one in use for the country);
- a Gold assessment scores every indicator of one set (the gold_assessment_record rule), by
  two distinct assessors accredited on the day and free of conflicts (gold_assessors_refusal);
  its overall score and result are computed here by gold_result, never given; it earns its
  label only when gold_refusals finds nothing;
- a board decision comes on or after the recommendation, not in the future, and never from a
  member who conducted or reviewed the work (board_decision_refusal).

A broken rule raises HistoryError with the reason; the batch that holds it is not written.
Eligibility is judged only for a label left to the board (label_recommend judges it): it rests
on facts the secretariat records at the review (the ECCP validation, the English website),
which a past history does not carry; the awards it records were decided at the time.

The derived data (label facts, peer values) is refreshed once, at the end of the whole write
(services/derived.py), for the batches written. The writer that applies the rules and writes the
rows is services/bulk_writer.py.
"""

from collections.abc import Iterable

from django.core.management import call_command
from django.db import transaction

from benchmarking.services.bulk_records import HistoryBatch
from benchmarking.services.bulk_writer import HistoryWriter
from benchmarking.services.derived import derived_data_refresh
from ecei_site.bulk import statistics_refresh


def history_record(*, batches: Iterable[HistoryBatch], reviewer, board) -> list[int]:
    """Write the batches, each in a transaction of its own; the ids of the clusters written.

    `reviewer` approved the interviews and recommended the labels, `board` (a member of the
    EUCLES board) decided on them. The derived data of every batch written is refreshed at the
    end, also when a later batch is refused (its error is raised once that is done).
    """
    writer = HistoryWriter(reviewer=reviewer, board=board)
    written: list[int] = []
    try:
        for batch in batches:
            with transaction.atomic():
                written.extend(writer.write(batch))
            writer.commit()
    finally:
        if written:
            statistics_refresh()  # the derived data's queries read what was just written
            derived_data_refresh(written)
            statistics_refresh()
    return written


def fixtures_load(*names: str) -> None:
    """Load fixtures (reference data, the earlier database's public listing) with loaddata:
    their clusters carry their label facts as dumped, so nothing is derived here."""
    call_command("loaddata", *names, verbosity=0)
