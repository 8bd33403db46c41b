"""Production settings (issue 17 item 5): `kyoten check --deploy` is clean under the environment
of docs/deploy.md, every answer carries a Content-Security-Policy, and no template has inline
script or style that the policy would block."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3]
TEMPLATES = sorted((SRC / "kyoten").glob("**/templates/**/*.html"))


def production_env(tmp_path) -> dict:
    """The environment docs/deploy.md documents (with a test database and a random key)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KYOTEN_", "DJANGO_"))}
    env.update(
        {
            "PYTHONPATH": str(SRC),
            "KYOTEN_SECRET_KEY": "p" + os.urandom(40).hex(),
            "KYOTEN_ALLOWED_HOSTS": "kyoten.example.go.jp",
            "KYOTEN_SITE_URL": "https://kyoten.example.go.jp",
            "KYOTEN_HTTPS": "true",
            "KYOTEN_BEHIND_PROXY": "true",
            "KYOTEN_HSTS_PRELOAD": "true",
            "KYOTEN_CSRF_TRUSTED_ORIGINS": "https://kyoten.example.go.jp",
            "KYOTEN_DATABASE_URL": f"sqlite:///{tmp_path}/kyoten.sqlite3",
            "KYOTEN_HOME": str(tmp_path),
        }
    )
    return env


def check_deploy(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kyoten", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    done = check_deploy(production_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout + done.stderr


def test_deploy_check_fails_without_them(tmp_path):
    env = production_env(tmp_path)
    for name in ("KYOTEN_SECRET_KEY", "KYOTEN_HTTPS", "KYOTEN_HSTS_PRELOAD"):
        del env[name]
    done = check_deploy(env)
    assert done.returncode != 0
    out = done.stdout + done.stderr
    for check_id in ("kyoten.W001", "security.W004", "security.W008", "security.W012"):
        assert check_id in out, out


def test_deploy_docs_show_the_environment_the_test_uses(tmp_path):
    doc = (SRC.parent / "docs" / "deploy.md").read_text()
    for name in production_env(tmp_path):
        if name.startswith("KYOTEN_") and name not in {"KYOTEN_DATABASE_URL", "KYOTEN_HOME"}:
            assert name in doc, name


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/login/", "/api/v1/prefectures", "/no-such-page/"])
def test_every_answer_has_a_content_security_policy(client, url):
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in policy.split(";"))
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_api_docs_page_has_no_inline_script(client, settings):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "Content-Security-Policy" in page
    html = page.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\s(on[a-z]+)\s*=\s*[\"']", re.I)
INLINE_STYLE = re.compile(r"(<style\b|\sstyle\s*=\s*[\"'])", re.I)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_templates_have_no_inline_script_or_style(path):
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "move the script into a static file"
    assert not INLINE_HANDLER.search(text), "use addEventListener in a static file"
    assert not INLINE_STYLE.search(text), "move the style into kyoten.css"
