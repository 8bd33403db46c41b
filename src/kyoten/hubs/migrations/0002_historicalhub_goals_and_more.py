"""Compatibility no-op: for a few minutes on 2026-11-28 a second hubs migration of this name
existed, and other apps' migrations were generated against it. Everything it did is now in
0001_initial; delete this file once no other app's migration depends on it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("hubs", "0001_initial")]
    operations = []
