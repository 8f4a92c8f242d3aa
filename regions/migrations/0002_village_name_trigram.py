"""A trigram index for the village type-ahead on PostgreSQL: the name search (``icontains``, which
PostgreSQL runs as ``UPPER(name) LIKE UPPER('%…%')``) over 83,762 villages then reads the index
instead of every row. SQLite (the embedded default) has no such index and needs none at its sizes.

pg_trgm ships with PostgreSQL; creating the extension needs a role allowed to (the database's
owner on PostgreSQL 13+, where pg_trgm is a trusted extension). Where it is refused, the portal
works as before, only the type-ahead is slower: the migration says so and goes on.
"""
import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute("CREATE INDEX IF NOT EXISTS regions_village_name_trgm "
                                  "ON regions_village USING gin (UPPER(name) gin_trgm_ops)")
    except DatabaseError as error:
        logger.warning("No trigram index for the village search (%s): the type-ahead works, more slowly.", error)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS regions_village_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
