"""`kyoten generate`: synthetic data at a tiny share of the national volume, and the refusal of a
database that already holds data."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def test_generate_a_tiny_national_and_refuse_a_second_time():
    from kyoten.equipment.models import Booking, Equipment
    from kyoten.hubs.models import Hub
    from kyoten.network.models import Expert, SearchEntry

    out = io.StringIO()
    call_command("generate", scale="national", fraction=0.002, seed=7, stdout=out)
    assert "generated national data" in out.getvalue()
    # 0.2 % of SPEC §5: the demo's hubs and machines already exceed it; bookings and the
    # directory are topped up to their share
    assert Booking.objects.count() >= 2_000
    assert Hub.objects.count() >= 1 and Equipment.objects.count() >= 10
    assert SearchEntry.objects.count() >= 200
    assert Expert.objects.filter(position="教授").exists() or Expert.objects.count() > 0
    overlapping = Booking.objects.filter(
        equipment_id__in=Booking.objects.values("equipment_id")[:1]
    ).order_by("start")
    ends = list(overlapping.values_list("start", "end"))
    assert all(a_end <= b_start for (_s, a_end), (b_start, _e) in zip(ends, ends[1:], strict=False))
    with pytest.raises(CommandError) as refused:
        call_command("generate", scale="demo")
    assert str(refused.value).startswith("the database is not empty")


def test_backup_and_restore_into_an_empty_database(tmp_path):
    """SQLite: the online backup of a database in use, restored into an empty one (the commands
    copy whole databases, so a small one made here stands for the site's)."""
    import os
    import sqlite3
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "KYOTEN_DATABASE_URL"}

    def kyoten(*args, var):
        return subprocess.run(
            [sys.executable, "-m", "kyoten", *args],
            env={**env, "KYOTEN_VAR_DIR": str(var)},
            capture_output=True,
            text=True,
        )

    (tmp_path / "src").mkdir()
    live = sqlite3.connect(tmp_path / "src" / "kyoten.sqlite3")
    live.execute("CREATE TABLE hubs_hub (id INTEGER PRIMARY KEY, name TEXT)")
    live.execute("INSERT INTO hubs_hub (name) VALUES ('福岡地域産学官共同研究拠点')")
    live.commit()  # and stays open, as the site's connection would
    done = kyoten("backup", str(tmp_path / "copy.sqlite3"), var=tmp_path / "src")
    assert done.returncode == 0, done.stderr
    again = kyoten("backup", str(tmp_path / "copy.sqlite3"), var=tmp_path / "src")
    assert (again.returncode, again.stderr.strip().splitlines()[-1]) == (
        2,
        f"CommandError: file: {tmp_path / 'copy.sqlite3'} already exists; choose a new name",
    )
    done = kyoten("restore", str(tmp_path / "copy.sqlite3"), var=tmp_path / "dst")
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "dst" / "kyoten.sqlite3") as db:
        assert db.execute("SELECT name FROM hubs_hub").fetchall() == [
            ("福岡地域産学官共同研究拠点",)
        ]
    refused = kyoten("restore", str(tmp_path / "copy.sqlite3"), var=tmp_path / "dst")
    assert refused.returncode == 2
    assert "the database is not empty" in refused.stderr
    live.close()
