"""The API speaks one language per answer (SPEC §10): the one Accept-Language names, else English —
for the texts inside a record as for its error messages. A page's language cookie does not change it."""
URL = "/api/v1/self-inspections"
METRICS = {"complaints_received": 0, "answered_in_time_share": 1.0, "billing_error_rate": 0.0002}


def _report(client, factory):
    staff = factory.user("operator", operator=factory.operator(province="32"))
    headers = factory.headers(staff)
    report_id = client.post(URL, json={"period": "2026H2"}, headers=headers).json["id"]
    return f"{URL}/{report_id}", headers


def test_texts_in_an_answer_follow_accept_language_else_english(client, factory):
    url, headers = _report(client, factory)
    assert client.patch(url, json={"metrics": METRICS}, headers=headers).json["warnings"] == [
        "The billing error rate 0.0002 is above the standard 0.0001."]
    chinese = client.get(url, headers=headers | {"Accept-Language": "zh-CN,zh;q=0.9"}).json
    assert chinese["warnings"] and all("0.0002" in w and "The billing" not in w for w in chinese["warnings"])
    client.set_cookie("lang", "zh_CN")
    assert client.get(url, headers=headers).json["warnings"] == [
        "The billing error rate 0.0002 is above the standard 0.0001."]
