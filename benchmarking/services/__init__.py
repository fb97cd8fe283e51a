"""Writes of the benchmarking domain, one module per area:

- `labels`: validity periods, codes, awarding and the label lifecycle;
- `interviews`: starting, saving and submitting interviews;
- `review`: the secretariat's decisions;
- `reports`: issuing report snapshots.
"""
