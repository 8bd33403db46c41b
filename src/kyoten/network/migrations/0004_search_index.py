"""The database's own full-text index over the search entries (issue 18): an FTS5 table on
SQLite, a tsvector column with a GIN index on PostgreSQL, filled from the existing entries.
The old posting table (`SearchTerm`) is no longer written or read."""

from django.db import migrations


def create(apps, schema_editor):
    from kyoten.network import fulltext

    with schema_editor.connection.cursor() as cursor:
        for statement in fulltext.create_statements(schema_editor.connection.vendor):
            cursor.execute(statement)
        cursor.execute("DELETE FROM network_searchterm")
    fulltext.rebuild()


def drop(apps, schema_editor):
    from kyoten.network import fulltext

    with schema_editor.connection.cursor() as cursor:
        for statement in fulltext.drop_statements(schema_editor.connection.vendor):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("network", "0003_opendata_versions")]

    operations = [migrations.RunPython(create, drop)]
