"""Forms of the benchmarking app, one module per area."""
