"""The register's schema migrations, run by :mod:`qaframework.store.migrate` (Alembic).

Each revision in ``versions/`` upgrades the schema one step and can take it back. A new
revision is written by hand from ``script.py.mako``: its ``down_revision`` is the current
head, and ``tests/test_store.py`` checks that the head builds exactly the tables of
:mod:`qaframework.store.schema`.
"""
