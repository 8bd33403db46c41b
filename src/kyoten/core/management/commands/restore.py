"""`kyoten restore FILE`: load a backup written by `kyoten backup` into an empty database."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kyoten.core.management.commands.backup import pg_env


def _empty() -> bool:
    tables = [t for t in connection.introspection.table_names() if t != "django_migrations"]
    with connection.cursor() as cursor:
        for table in tables:
            if table.startswith(("core_user", "proposals_proposal", "hubs_hub")):
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
                if cursor.fetchone():
                    return False
    return True


class Command(BaseCommand):
    help = "Load a backup written by `kyoten backup` into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"file: {file} does not exist", returncode=2)
        if not _empty():
            raise CommandError(
                "the database is not empty; restore loads only into an empty database",
                returncode=2,
            )
        settings_dict = connection.settings_dict
        if connection.vendor == "sqlite":
            connection.close()
            backup = sqlite3.connect(source)
            try:
                if backup.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise CommandError(f"file: {file} is not an intact SQLite backup", returncode=2)
                target = sqlite3.connect(settings_dict["NAME"])
                try:
                    backup.backup(target, pages=4096)
                finally:
                    target.close()
            except sqlite3.DatabaseError as exc:
                raise CommandError(
                    f"file: {file} is not a SQLite backup ({exc})", returncode=2
                ) from None
            finally:
                backup.close()
        elif connection.vendor == "postgresql":
            conn_args, env = pg_env(settings_dict)
            cmd = ["pg_restore", "--clean", "--if-exists", "--no-owner", *conn_args]
            done = subprocess.run(  # noqa: S603
                [*cmd, "--dbname", settings_dict["NAME"], str(source)], env=env, capture_output=True
            )
            if done.returncode:
                raise CommandError(f"pg_restore: {done.stderr.decode().strip()}", returncode=2)
        else:
            raise CommandError(f"restore: {connection.vendor} is not supported", returncode=2)
        self.stdout.write(f"restored {source}")
