"""Adapters to the outside world; each real implementation beside its local twin."""
