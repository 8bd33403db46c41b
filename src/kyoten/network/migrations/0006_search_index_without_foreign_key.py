"""The full-text table loses its foreign key to the search entries (PostgreSQL): Django's flush
truncates its own tables only, and PostgreSQL refuses to truncate a table that another one
references. Deleting entries removes their index rows in `network.fulltext.remove`."""

from django.db import migrations


def drop_foreign_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE network_searchfts DROP CONSTRAINT IF EXISTS network_searchfts_entry_id_fkey"
    )


class Migration(migrations.Migration):
    dependencies = [("network", "0005_drop_search_postings")]

    operations = [migrations.RunPython(drop_foreign_key, migrations.RunPython.noop)]
