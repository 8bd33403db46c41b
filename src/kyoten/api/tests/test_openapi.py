"""The OpenAPI document: error answers, public operations, one schema per name (issue 17 item 6)."""

from __future__ import annotations

import json

import pytest
from ninja.openapi.schema import OpenAPISchema

from kyoten.api.main import api

ERROR_REF = {"$ref": "#/components/schemas/Error"}


@pytest.fixture(scope="module")
def doc() -> dict:
    return api.get_openapi_schema()


def _operations(doc):
    for path, ops in doc["paths"].items():
        for method, operation in ops.items():
            yield path, method, operation


def test_every_operation_documents_its_errors_with_the_error_schema(doc):
    missing = []
    for path, method, operation in _operations(doc):
        responses = operation["responses"]
        wanted = {400, 404} | ({401, 403} if operation["security"] else set())
        if method != "get":
            wanted |= {403, 409}
        for status in sorted(wanted):
            if (path, status) == ("/api/v1/proposals/{proposal_id}/submit", 400):
                continue  # submit documents its own 400: the rule findings
            schema = responses.get(status, {}).get("content", {}).get("application/json", {})
            if schema.get("schema") != ERROR_REF:
                missing.append(f"{method.upper()} {path} {status}")
    assert missing == []
    assert doc["components"]["schemas"]["Error"]["properties"].keys() >= {"detail", "rule", "field"}


def test_public_operations_say_security_empty(doc):
    public = sorted(f"{m.upper()} {p}" for p, m, op in _operations(doc) if op["security"] == [])
    assert "POST /api/v1/auth/token" in public
    assert "GET /api/v1/calls" in public and "GET /api/v1/hubs/{hub_id}" in public
    assert "GET /api/v1/proposals" not in public and "POST /api/v1/calls" not in public
    assert "OptionalAuth" not in doc["components"]["securitySchemes"]


def test_no_two_schemas_share_a_name(monkeypatch):
    clashes: set[str] = set()
    add = OpenAPISchema.add_schema_definitions

    def recording(self, definitions):
        for name, schema in definitions.items():
            if name in self.schemas and self.schemas[name] != schema:
                clashes.add(name)
        add(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", recording)
    api.get_openapi_schema()
    assert clashes == set()


def test_review_committees_are_documented_with_their_own_schemas(doc):
    def body_ref(path, method, status):
        content = doc["paths"][path][method]["responses"][status]["content"]
        return json.dumps(content["application/json"]["schema"])

    assert "ReviewCommitteeOut" in body_ref("/api/v1/reviews/committees", "get", 200)
    members = doc["paths"]["/api/v1/reviews/committees/{committee_id}/members"]["post"]
    ref = members["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/ReviewMemberIn")
    fields = doc["components"]["schemas"]["ReviewMemberIn"]["properties"]
    assert sorted(fields) == ["keywords", "max_load", "role", "user"]


@pytest.mark.django_db
def test_post_member_takes_what_the_document_says(client, make_user, api_token):
    officer = make_user("officer")
    reviewer = make_user("reviewer")
    bearer = api_token(officer)
    committee = client.post(
        "/api/v1/reviews/committees",
        json.dumps({"kind": "review", "name": "審査委員会", "term_start": "2026-04-01"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=bearer,
    )
    assert committee.status_code == 201, committee.content
    response = client.post(
        f"/api/v1/reviews/committees/{committee.json()['id']}/members",
        json.dumps({"user": reviewer.username, "role": "member", "keywords": ["材料"],
                    "max_load": 5}),
        content_type="application/json",
        HTTP_AUTHORIZATION=bearer,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert [(m["user"], m["keywords"], m["max_load"]) for m in response.json()["members"]] == [
        (reviewer.username, ["材料"], 5)
    ]
