"""Storages: Amazon S3 and a local directory tree (the local twin)."""
