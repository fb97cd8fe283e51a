"""Reads of the benchmarking domain (queries and statistics), one module per area."""
