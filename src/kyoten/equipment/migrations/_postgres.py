"""PostgreSQL-only schema: the exclusion constraint that makes overlapping bookings impossible.

Kept outside 0001_initial so it survives regenerating that file: after `kyoten makemigrations
equipment`, append `*postgres_operations()` to its `operations` (see docs/equipment.md).
"""

from django.db import migrations

ACTIVE = "('requested', 'confirmed', 'completed', 'no_show')"  # enums.ACTIVE_STATUSES

CREATE = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE equipment_booking ADD CONSTRAINT booking_no_overlap
    EXCLUDE USING gist (equipment_id WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (status IN {ACTIVE});
"""
DROP = "ALTER TABLE equipment_booking DROP CONSTRAINT IF EXISTS booking_no_overlap;"


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def _backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


def postgres_operations() -> list:
    return [migrations.RunPython(_forward, _backward, elidable=False)]
