"""Deprecated: see `healthcheckx.checks`."""
