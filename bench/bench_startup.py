"""Benchmark of command start-up: kyoten's `django.setup()` against a project with only
Django's contrib apps, in the same run (issue 18 part 5: target ≤ 1.5×).

    .venv/bin/python bench/bench_startup.py [--repeat 9]

Each round starts two fresh interpreters, one per project, in alternating order, and each
reports the wall time of `import django; django.setup()` (the part every `kyoten` command
pays before it does anything) and whether pydantic (the API's validation) was imported.
Prints the medians and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE_SETTINGS = """
SECRET_KEY = "bench"
INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
                  "django.contrib.sessions", "django.contrib.messages",
                  "django.contrib.staticfiles"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
"""

PROBE = """
import json, sys, time
start = time.perf_counter()
import django
django.setup()
print(json.dumps({"s": time.perf_counter() - start, "pydantic": "pydantic" in sys.modules}))
"""


def once(settings: str, env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env | {"DJANGO_SETTINGS_MODULE": settings},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "bare_settings.py").write_text(BARE_SETTINGS)
        env = dict(os.environ, PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{tmp}",
                   KYOTEN_VAR_DIR=tmp, PYTHONDONTWRITEBYTECODE="")  # fmt: skip
        kyoten, bare, pydantic = [], [], False
        for i in range(args.repeat):
            pair = [("kyoten.settings", kyoten), ("bare_settings", bare)]
            for settings, times in pair if i % 2 else reversed(pair):
                got = once(settings, env)
                times.append(got["s"])
                pydantic |= got["pydantic"] and settings == "kyoten.settings"
    k, b = statistics.median(kyoten), statistics.median(bare)
    print("| project | median django.setup() |")
    print("|---|---|")
    print(f"| kyoten | {k * 1000:.0f} ms |")
    print(f"| Django contrib apps only (baseline) | {b * 1000:.0f} ms |")
    print(f"\nratio kyoten / baseline: {k / b:.2f}× (target ≤ 1.5×); "
          f"pydantic imported at start-up: {'yes' if pydantic else 'no'}")  # fmt: skip


if __name__ == "__main__":
    main()
