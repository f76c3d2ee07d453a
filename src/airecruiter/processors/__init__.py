"""Queue jobs: one module per job type, their registry, the helpers they share, and the pipeline's scheduling rules."""
