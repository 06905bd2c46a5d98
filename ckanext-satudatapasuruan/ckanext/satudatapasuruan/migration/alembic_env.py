"""Shared Alembic environment of our plugins' migrations.

Each plugin keeps its tables *and* its version table in its own PostgreSQL schema:
CKAN's test fixtures drop every table of the public schema (``clean_db``), and our
tables must survive that the way CKAN's own migrations are re-run.
"""
from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool, text

__all__ = ["run"]


def run(name: str, schema: str) -> None:
    config = context.config
    if config.config_file_name:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    options = {"version_table": f"{name}_alembic_version", "version_table_schema": schema}
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    connectable = engine_from_config(config.get_section(config.config_ini_section),
                                     prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
        connection.commit()
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
