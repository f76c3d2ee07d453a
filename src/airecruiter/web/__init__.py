"""The web surfaces: health, metrics (and later the admin console and interview page)."""
