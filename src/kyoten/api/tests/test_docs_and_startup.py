"""The API docs page works from files shipped with ninja, and commands do not pay for the API
(issue 18 part 5)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.django_db
def test_docs_page_serves_swagger_from_our_own_static_files(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    body = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body and "cdn" not in body.lower()
    assert '"url": "/api/v1/openapi.json"' in body
    from django.contrib.staticfiles import finders

    assert finders.find("ninja/swagger-ui-bundle.js")


def test_a_command_starts_without_the_api_libraries(tmp_path):
    probe = "import sys, django; django.setup(); print('pydantic' in sys.modules, 'ninja' in sys.modules)"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="kyoten.settings", KYOTEN_VAR_DIR=str(tmp_path))
    env.pop("KYOTEN_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]
