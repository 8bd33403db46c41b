"""Load the 47 prefectures, their land borders and the designated cities (shipped data)."""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "japan_reference.json"


def load(apps, schema_editor):
    Prefecture = apps.get_model("core", "Prefecture")
    DesignatedCity = apps.get_model("core", "DesignatedCity")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    prefectures = {
        p["code"]: Prefecture.objects.create(
            code=p["code"], name_ja=p["name_ja"], name_en=p["name_en"], block=p["block"]
        )
        for p in data["prefectures"]
    }
    for p in data["prefectures"]:
        prefectures[p["code"]].borders.set([prefectures[c] for c in p["land_borders"]])
    for c in data["designated_cities"]:
        DesignatedCity.objects.create(
            name_ja=c["name_ja"],
            prefecture=prefectures[c["prefecture"]],
            since=dt.date.fromisoformat(c["since"]),
        )


def unload(apps, schema_editor):
    apps.get_model("core", "DesignatedCity").objects.all().delete()
    apps.get_model("core", "Prefecture").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
