"""Workday Recruiting over SOAP: OAuth2 token handling, envelopes, a hardened parser, the client."""
