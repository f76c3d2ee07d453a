"""Job processors, one module per job type, and the registry that maps job types to them."""
