"""Read-only queries behind the admin console's pages: each module reads, none writes.

What a page changes goes through the repositories of `airecruiter.db` (or the services above
them); these modules only shape rows for display — one dataclass per kind of row.
"""
