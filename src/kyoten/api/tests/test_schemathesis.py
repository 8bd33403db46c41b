"""Schemathesis over the whole OpenAPI document (issue 17 item 6).

Every operation gets at least `EXAMPLES` generated requests, sent as the demo's program officer
(a bearer token) against the demo data set, through the WSGI application. No answer may be a
5xx, and every answer must match what the document says of that operation: its status code,
its content type and its schema (errors included: `{detail, rule, field}`).

SQLite only: on PostgreSQL the run would take much longer and its answers are the same.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection

EXAMPLES = 20

pytestmark = pytest.mark.django_db(transaction=False)


def _skip_unless_sqlite() -> None:
    if connection.vendor != "sqlite":
        reason = f"schemathesis runs on SQLite only (this database is {connection.vendor})"
        print(reason)
        pytest.skip(reason)


def test_no_5xx_and_every_answer_as_documented(tmp_path, monkeypatch, request):
    _skip_unless_sqlite()
    schemathesis = pytest.importorskip("schemathesis")
    from django.core.wsgi import get_wsgi_application
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis import checks as st_checks

    from kyoten.api.main import api
    from kyoten.core.management.commands.demo import load_demo
    from kyoten.core.models import ApiToken, User

    # schemathesis keeps crash reports in ./.schemathesis/ and hypothesis in ./.hypothesis/:
    # both go to a temporary directory, never into the source tree.
    monkeypatch.chdir(tmp_path)
    from hypothesis import configuration

    configuration.set_hypothesis_home_dir(tmp_path / ".hypothesis")
    request.addfinalizer(lambda: configuration.set_hypothesis_home_dir(None))
    started = time.monotonic()
    assert load_demo() is True
    print(f"demo data: {time.monotonic() - started:.1f} s")
    officer = User.objects.get(username="officer")
    headers = {"Authorization": f"Bearer {ApiToken.issue(officer)}", "Accept-Language": "en"}

    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    app = get_wsgi_application()
    wanted = [
        st_checks.not_a_server_error,
        st_checks.status_code_conformance,
        st_checks.content_type_conformance,
        st_checks.response_schema_conformance,
    ]

    def runner(operation):
        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call(app=app, headers=headers)
            case.validate_response(response, checks=wanted)

        return run

    # Django's WSGI handler closes the database connection after each request (as a server
    # should); the test database lives in this connection, so keep it open as Django's own
    # test client does.
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        failures, tried = _run_all(schema, runner)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)

    assert tried >= 100
    assert failures == [], "\n\n".join(failures)


def _run_all(schema, runner) -> tuple[list[str], int]:
    failures: list[str] = []
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        tried += 1
        started = time.monotonic()
        try:
            runner(operation)()
        except Exception as exc:  # noqa: BLE001 - every operation's failure is reported at the end
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:1500]}")
        print(f"{operation.label}: {time.monotonic() - started:.1f} s", flush=True)
    return failures, tried
