"""The rules of the benchmarking domain: decisions that read, never write.

Selectors, forms and services ask them; they import models (and each other), never services,
selectors, forms or views (tests/test_architecture.py). A refusal only its own service asks stays
beside that service (`*_refusal` in services/).

- `dates`: calendar arithmetic for the domain's periods (years, months, clamped);
- `label_terms`: a label's validity period, the renewal rule and the chronology of a cluster's
  benchmarkings (why a label renews none, why a benchmarking is refused);
- `label_codes`: the form of a label code and the next one for a country;
- `people`: accreditation, conflicts of interest and four eyes (who may take which step);
- `eligibility`: the judgement of a cluster's eligibility criteria;
- `board`: what a board decision needs (the member, the day, the meeting, the evidence);
- `silver`, `gold`: the Silver window, baseline and audit rules; the Gold scores and assessors;
- `answer_warnings`: the soft warnings on an answer and how a stored one reads.
"""
