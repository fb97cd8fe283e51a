"""The demo data: plausible synthetic clusters, people, answers and dates (seed_demo, the tests).

Random and plausible, never a rule: what the data must obey is applied by the services it
is written through (services/bulk.py for the history, the one-at-a-time services for the
demo accounts' own work).

- `values`: a cluster's answers, hanging together;
- `names`: countries, cluster names, people;
- `calendar`: the demo board's meetings;
- `accounts`: the demo logins and the synthetic experts;
- `history`: clusters and their past benchmarkings and Gold assessments, batch by batch;
- `workload`: the demo accounts' work in progress.
"""

from benchmarking.demo.values import MISSING_REASONS, answer_fields, answer_rows, build_answers, plausible_values

__all__ = ["MISSING_REASONS", "answer_fields", "answer_rows", "build_answers", "plausible_values"]
