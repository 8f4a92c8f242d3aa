"""Reads of the dashboards' summary tables from a PostgreSQL read replica (``DATABASE_REPLICA_URL``).

Only installed when a replica is configured (settings ``DATABASE_ROUTERS``). The summary tables are
what the dashboards and the statistics API read; they are the heavy, read-mostly part. Everything
else — and every write — stays on the primary (``default``), and so does any read made inside a
transaction on the primary: a service that recounts a summary reads the rows it has just written
(``Summary.refresh``: the regency rows from the village rows), which a replica would not have yet.
"""
from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"


def _is_summary(model) -> bool:
    from desmigratif.summaries import SummaryRow

    return isinstance(model, type) and issubclass(model, SummaryRow)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if REPLICA not in connections.settings or not _is_summary(model):
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # read what this transaction wrote
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: every row exists in both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # a replica gets its schema from the primary's replication
