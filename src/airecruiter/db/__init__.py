"""PostgreSQL access: engine, embedded server, migrations, tables and repositories."""
