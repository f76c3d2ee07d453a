"""Mailers: Amazon SES v2, any SMTP server, and an outbox directory of `.eml` files (the local twin)."""
