"""Writes of the exchange app: the legacy import (the one door through which legacy rows become benchmarkings)."""
