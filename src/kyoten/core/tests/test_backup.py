"""Backups (issue 17 item 7, SPEC §4): `kyoten backup FILE` then `kyoten restore FILE` gives
back every row of every table, and restore refuses a database that is not empty."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

# Backups read the database file from another connection: the data must be committed. The
# reference data loaded by migrations (prefectures) is put back by the root conftest after the
# flush (serialized_rollback re-inserted content types that already existed in the full suite).
pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    out = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            out[table] = sorted(cursor.fetchall(), key=repr)
    return out


@pytest.fixture
def filled(make_user):
    """A database with people, tokens, a call, proposals and their history."""
    from kyoten.core.models import ApiToken
    from kyoten.core.services import organisation_create, token_revoke
    from kyoten.review.tests.conftest import make_call, make_proposal

    officer = make_user("officer", username="officer", email="o@example.go.jp")
    organisation_create(name="北海道大学", kind="university", prefecture="01")
    ApiToken.issue(officer)
    ApiToken.issue(officer)
    token_revoke(user=officer, token_id=ApiToken.objects.first().pk)
    call = make_call()
    make_proposal(call, title="北海道の提案", prefectures=["01"])
    make_proposal(call, title='=HYPERLINK("x") 東京の提案', prefectures=["13"])
    return officer


def test_backup_wipe_restore_gives_back_every_row(filled, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the round trip of PostgreSQL needs pg_dump on the machine")
    before = snapshot()
    assert sum(len(rows) for rows in before.values()) > 100
    assert before["core_apitoken"] and before["proposals_proposal"]
    target = tmp_path / "kyoten-backup.sqlite3"

    call_command("backup", str(target))
    assert target.stat().st_size > 0

    call_command("flush", interactive=False, inhibit_post_migrate=True)
    wiped = snapshot()
    assert not wiped["core_user"] and not wiped["proposals_proposal"]

    call_command("restore", str(target))
    after = snapshot()
    assert sorted(after) == sorted(before)
    for table in before:
        assert after[table] == before[table], table


def test_backup_refuses_to_overwrite_a_file(filled, tmp_path):
    target = tmp_path / "b.sqlite3"
    target.write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(target))
    assert target.read_text() == "keep me"


def test_restore_refuses_a_database_that_is_not_empty(filled, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    target = tmp_path / "b.sqlite3"
    call_command("backup", str(target))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(target))


def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    bogus = tmp_path / "not-a-backup.sqlite3"
    bogus.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CommandError, match="not"):
        call_command("restore", str(bogus))
