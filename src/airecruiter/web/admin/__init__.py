"""The admin console: every page behind a signed-in session, mounted under /admin."""
