"""The use cases: one module per family of user-visible actions, called by routes, CLI and processors alike."""
