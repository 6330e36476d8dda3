"""Storage: SQLModel tables, the database factory, migrations, queries and validated writes."""
