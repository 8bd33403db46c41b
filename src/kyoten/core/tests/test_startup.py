"""What start-up imports: every command pays for it, so the search index, the open-data
builders, the solvers' numerics and the API's validation wait until something uses them
(docs/benchmarks.md, command start-up)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

NOT_AT_START_UP = [
    "kyoten.core.textsearch",
    "kyoten.network.search",
    "kyoten.network.indexing",
    "kyoten.network.opendata",
    "numpy",
    "highspy",
    "pydantic",
    "ninja",
]


def test_start_up_leaves_the_heavy_modules_until_they_are_used(tmp_path):
    probe = (
        "import json, sys, django; django.setup(); "
        f"print(json.dumps([m for m in {NOT_AT_START_UP!r} if m in sys.modules]))"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="kyoten.settings", KYOTEN_VAR_DIR=str(tmp_path))
    env.pop("KYOTEN_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []
