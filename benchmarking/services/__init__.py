"""Writes of the benchmarking domain: each validates, saves in a transaction, logs its named action
(activity.services.log_action) and sends its mails once the transaction commits. They ask the
rules (benchmarking/rules/) and read through selectors; no selector, form or rule imports them
(docs/architecture.md). A `*_refusal` only its own service asks stands beside it.

- `interview_start`: starting an interview, and moving a draft to another date;
- `interviews`: saving a step of answers (optimistic locking) and submitting;
- `questionnaire`: the manager's invitation, proposals and "ready";
- `review`: the secretariat's decisions: approve, return, reject, reopen;
- `eligibility`: recording a cluster's eligibility facts or a waiver;
- `board`: recommending a label to the EUCLES board and the board's decisions, in batches;
- `board_undo`: undoing a decision of the board taken in error;
- `labels`: awarding a label (and re-basing later ones on it), suspending, reinstating,
  withdrawing, importing;
- `silver_gold`: recording a Silver audit or a Gold assessment, and recommending its label;
- `reports`: issuing report snapshots; the expert's recommendations for them;
- `label_facts`: the public facts of a cluster's labels, kept beside the cluster;
- `peer_values`: the peer values and groups a report compares with, kept up to date;
- `derived`: both of the above refreshed at once (after a bulk write);
- `clusters`: saving or deleting a cluster's record (its peer values follow);
- `notifications`: the e-mails, each to its people in their language;
- `reminders`: renewal and questionnaire reminders (the cron commands);
- `bulk`, `bulk_records`: a past history written at once (seed_demo) under the same rules;
"""
