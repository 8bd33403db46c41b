"""`kyoten backup FILE`: a consistent copy of the whole database while the site runs.

SQLite: the online backup API (pages copied under a read transaction, writers keep going).
PostgreSQL: `pg_dump --format=custom` (one snapshot)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def pg_env(settings_dict: dict) -> tuple[list[str], dict]:
    """Connection arguments and environment for pg_dump/pg_restore from Django's settings."""
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


class Command(BaseCommand):
    help = "Write a consistent copy of the whole database to FILE while the site runs."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        target = Path(file)
        if target.exists():
            raise CommandError(f"file: {file} already exists; choose a new name", returncode=2)
        if not target.parent.is_dir():
            raise CommandError(f"file: the folder {target.parent} does not exist", returncode=2)
        settings_dict = connection.settings_dict
        if connection.vendor == "sqlite":
            source = sqlite3.connect(settings_dict["NAME"])
            copy = sqlite3.connect(target)
            try:
                source.backup(copy, pages=4096)
            finally:
                copy.close()
                source.close()
        elif connection.vendor == "postgresql":
            conn_args, env = pg_env(settings_dict)
            cmd = ["pg_dump", "--format=custom", "--file", str(target), *conn_args]
            done = subprocess.run([*cmd, settings_dict["NAME"]], env=env, capture_output=True)  # noqa: S603
            if done.returncode:
                raise CommandError(f"pg_dump: {done.stderr.decode().strip()}", returncode=2)
        else:
            raise CommandError(f"backup: {connection.vendor} is not supported", returncode=2)
        self.stdout.write(f"backup written to {target} ({target.stat().st_size:,} bytes)")
