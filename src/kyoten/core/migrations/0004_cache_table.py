"""The table of the default cache (`KYOTEN_CACHE_URL` empty): shared by every app process."""

from django.db import migrations


def create_cache_table(apps, schema_editor):
    from django.core.management import call_command

    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    from kyoten.config import CACHE_TABLE

    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_roles_language_billing")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
