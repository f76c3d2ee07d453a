"""The PostgreSQL-backed job queue: jobs, retry decisions, manager, worker and scheduler."""
