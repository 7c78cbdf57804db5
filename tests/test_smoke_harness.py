def test_harness_builds_schema_and_factories(factory, client):
    operator = factory.operator()
    complaint, code = factory.complaint(operator)
    assert complaint.reference.startswith("TS-32-20261126-")
    assert client.get("/healthz").json == {"status": "ok"}
