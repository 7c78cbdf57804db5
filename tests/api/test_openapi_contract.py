"""The OpenAPI document as a contract outside clients can build on (SPEC §10, issue 11 item 7):
it is valid OpenAPI, every field of every schema has a type (no free-form objects), every
operation has a unique snake_case operationId, and every JSON request body carries an example
that the body's own schema accepts."""
import re

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import OpenAPIV30SpecValidator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

METHODS = ("get", "post", "put", "patch", "delete")
OPERATION_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")  # verb_noun…: list_complaints


@pytest.fixture(scope="module")
def document(app):
    return app.test_client().get("/api/v1/openapi.json").json


def operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def untyped(schema: dict, where: str):
    """Where `schema` (or a schema inside it) says nothing of its values' type."""
    if "$ref" in schema:
        return
    for combinator in ("anyOf", "oneOf", "allOf"):
        for i, member in enumerate(schema.get(combinator, [])):
            yield from untyped(member, f"{where}.{combinator}[{i}]")
    if not {"type", "anyOf", "oneOf", "allOf"} & set(schema):
        yield f"{where}: no type"
    if schema.get("type") == "array":
        yield from untyped(schema.get("items") or {}, f"{where}[]")
    if schema.get("type") == "object":
        extra = schema.get("additionalProperties")
        if not schema.get("properties") and not (isinstance(extra, dict) and extra):
            yield f"{where}: an object with neither properties nor typed additionalProperties"
        for name, prop in (schema.get("properties") or {}).items():
            yield from untyped(prop, f"{where}.{name}")
        if isinstance(extra, dict) and extra:
            yield from untyped(extra, f"{where}.*")


def test_the_document_is_valid_openapi(document):
    """Outside clients generate code from this document: it must be valid OpenAPI 3.0."""
    problems = [f"{'/'.join(map(str, error.path))}: {error.message}"
                for error in OpenAPIV30SpecValidator(document).iter_errors()]
    assert problems == []
    assert document["openapi"].startswith("3.0") and document["paths"]


def test_every_field_of_every_schema_is_typed(document):
    problems = [p for name, schema in document["components"]["schemas"].items()
                for p in untyped(schema, name)]
    for operation, op in operations(document):
        for status, response in op["responses"].items():
            for media, content in response.get("content", {}).items():
                if media == "application/json":
                    problems += untyped(content["schema"], f"{operation} {status}")
    assert problems == []


def test_every_operation_has_a_unique_readable_operation_id(document):
    ids = {operation: op.get("operationId") for operation, op in operations(document)}
    assert [operation for operation, name in ids.items() if not name] == []
    assert [name for name in ids.values() if not OPERATION_ID.match(name)] == []
    assert len(set(ids.values())) == len(ids)
    # Names a client author would look for.
    assert ids["GET /api/v1/complaints"] == "list_complaints"
    assert ids["POST /api/v1/complaints"] == "file_complaint"


def test_every_json_request_body_has_an_example_its_schema_accepts(document):
    registry = Registry().with_resource("urn:doc", Resource(document, specification=DRAFT4))
    missing, refused = [], []
    for operation, op in operations(document):
        content = op.get("requestBody", {}).get("content", {}).get("application/json")
        if content is None:
            continue
        if "example" not in content:
            missing.append(operation)
            continue
        schema = {"$ref": "urn:doc#" + content["schema"]["$ref"].removeprefix("#")}
        errors = list(OAS30Validator(schema, registry=registry).iter_errors(content["example"]))
        refused += [f"{operation}: {e.message}" for e in errors]
    assert missing == []
    assert refused == []
